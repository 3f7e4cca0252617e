using System.Diagnostics;

namespace Bench.LoadGen
{
    /// <summary>Our host broker program (host/Device.Host, built Release next to this program by the project reference).</summary>
    public static class OurBroker
    {
        public static Broker Create(string dll)
        {
            int port = Broker.FreePort();
            return new Broker("ours", port, new ProcessStartInfo("dotnet", new[] { dll, "-p", port.ToString() }), true);
        }
    }
}
