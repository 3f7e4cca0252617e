using System.Diagnostics;

namespace LoadGen
{
    /// <summary>Our host broker program (host/Broker.Host, built Release next to this program by the project reference).</summary>
    public static class OurBroker
    {
        public static BrokerUnderTest Create(string dll, string name = "ours", params string[] extra)
        {
            int port = BrokerUnderTest.FreePort();
            var args = new System.Collections.Generic.List<string> { dll, "-p", port.ToString() };
            args.AddRange(extra);
            return new BrokerUnderTest(name, port, new ProcessStartInfo("dotnet", args), true);
        }
    }
}
