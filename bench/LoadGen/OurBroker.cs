using System.Diagnostics;

namespace LoadGen
{
    /// <summary>Our host broker program (host/Broker.Host, built Release next to this program by the project reference).</summary>
    public static class OurBroker
    {
        public static BrokerUnderTest Create(string dll, string name = "ours")
        {
            int port = BrokerUnderTest.FreePort();
            return new BrokerUnderTest(name, port, new ProcessStartInfo("dotnet", new[] { dll, "-p", port.ToString() }), true);
        }
    }
}
