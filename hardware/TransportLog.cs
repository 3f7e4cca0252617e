using System.Net;
using Device.Net;

namespace Device.Hardware
{
    /// <summary>
    /// The transport's connection events on the debug output: one line per connection, never per message,
    /// so the strings it builds cost nothing while clients are only publishing.
    /// </summary>
    internal sealed class TransportLog : ITransportLog
    {
        public void Opened(int connection, EndPoint remote)
        {
            Log.Line("client #" + connection.ToString() + ": connected from " + Name(remote));
        }

        public void Refused(EndPoint remote, bool sentConnack)
        {
            Log.Warning("client from " + Name(remote) + ": refused, every slot taken"
                + (sentConnack ? " (CONNACK 3 sent)" : " (closed before its CONNECT)"));
        }

        public void Failed(int connection, int socketError)
        {
            Log.Line("client #" + connection.ToString() + ": "
                + (socketError == 0 ? "closed by the client" : "connection lost (socket error " + socketError.ToString() + ")"));
        }

        public void Faulted(int connection, System.Exception error)
        {
            // Once per fault, with the stack: a fault is a bug to report, and the transport has closed only this client.
            Log.Write(LogLevel.Error, (connection < 0 ? "engine timer" : "client #" + connection.ToString()) + ": fault, connection closed: "
                + error.GetType().Name + ": " + error.Message + "\n" + error.StackTrace);
        }

        private static string Name(EndPoint remote)
        {
            // Null when the peer reset the connection before we could ask who it was.
            return remote == null ? "(gone)" : remote.ToString();
        }
    }
}
