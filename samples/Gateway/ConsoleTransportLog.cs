using System;
using System.Net;
using Device.Net;

namespace Samples.Gateway
{
    /// <summary>What the transport reports about remote clients, one line each on the console.</summary>
    internal sealed class ConsoleTransportLog : ITransportLog
    {
        public void Opened(int connection, EndPoint remote)
        {
            Console.WriteLine("client #" + connection.ToString() + ": connected");
        }

        public void Refused(EndPoint remote, bool sentConnack)
        {
            Console.WriteLine("client refused: every slot taken");
        }

        public void Failed(int connection, int socketError)
        {
            Console.WriteLine("client #" + connection.ToString() + ": gone (socket error " + socketError.ToString() + ")");
        }

        public void Faulted(int connection, Exception error)
        {
            Console.WriteLine("client #" + connection.ToString() + ": fault: " + error.Message);
        }
    }
}
