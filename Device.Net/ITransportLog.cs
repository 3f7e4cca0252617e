using System.Net;

namespace Device.Net
{
    /// <summary>
    /// What only the socket layer knows, for a log: who connected, who was turned away, and when the network ended a
    /// connection before the engine did. Called on the loop's thread; keep it quick (the board logs to Debug, the PC
    /// prints Mosquitto-style lines). Nothing here is called per message.
    /// </summary>
    public interface ITransportLog
    {
        /// <summary>A connection was accepted and the engine gave it this handle.</summary>
        void Opened(int connection, EndPoint remote);

        /// <summary>A connection arrived with every slot taken: it got CONNACK 3 if its CONNECT came in time, else was closed.</summary>
        void Refused(EndPoint remote, bool sentConnack);

        /// <summary>
        /// The network ended the connection first: the peer closed it (socketError 0) or a socket call failed
        /// (the Winsock code). The engine hears of it through Closed right after.
        /// </summary>
        void Failed(int connection, int socketError);

        /// <summary>
        /// Serving this connection threw (a bug in the engine, the log or the transport; connection is -1 for the
        /// engine's timer pass). The transport closes that connection and goes on with the others; this is called
        /// once per fault, with the exception and its stack, and <see cref="SocketTransport.Faults"/> counts it.
        /// </summary>
        void Faulted(int connection, System.Exception error);
    }
}
