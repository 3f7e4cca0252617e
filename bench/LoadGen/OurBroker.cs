using System.Diagnostics;

namespace Bench.LoadGen
{
    /// <summary>Our host broker program (host/Device.Host, built Release next to this program by the project reference).</summary>
    public static class OurBroker
    {
        public static Broker Create(string dll, string name = "ours")
        {
            int port = Broker.FreePort();
            return new Broker(name, port, new ProcessStartInfo("dotnet", new[] { dll, "-p", port.ToString() }), true);
        }
    }
}
