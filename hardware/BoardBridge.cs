using Device.Broker;
using Device.Net;

namespace Device.Hardware
{
    /// <summary>
    /// Starts the settings' bridge on the broker loop's one thread: SocketTransport.RunOnce drives its BridgeLink
    /// every pass (no thread of its own). Plain TCP through BlockingConnector, TLS through BoardTlsConnector when
    /// the settings give a CA file. A CA that cannot be read leaves the broker running without the bridge (a board
    /// cannot stop at start-up the way the PC program does: it must stay reachable) and says so.
    /// </summary>
    internal static class BoardBridge
    {
        public static void Start(Settings settings, BrokerEngine broker, SocketTransport transport)
        {
            BridgeOptions o = settings.Bridge;
            if (o == null)
            {
                return;
            }

            IBridgeConnector connector = new BlockingConnector();
            if (settings.BridgeCaFile != null)
            {
                string error;
                BoardTlsConnector tls = BoardTlsConnector.Create(settings.BridgeCaFile, settings.BridgeServerName, out error);
                if (tls == null)
                {
                    Log.Line(error + "; the bridge " + o.Name + " is not started");
                    return;
                }

                connector = tls;
            }

            Bridge bridge = new Bridge(o, broker);
            bridge.Log = new BoardBridgeLog();
            bridge.Start(transport.Now());
            transport.AddBridge(new BridgeLink(bridge, connector));
            Log.Line("bridge " + o.Name + ": to " + o.Hosts[0] + ":" + o.Ports[0].ToString() + (settings.BridgeCaFile != null ? " over TLS" : "")
                + ", " + o.TopicCount.ToString() + " topics");
        }
    }
}
