using System.Net;
using System.Net.Sockets;

namespace Device.Net
{
    /// <summary>
    /// The waiting room for connections that arrive when every engine slot is taken. Each waits (without blocking
    /// the loop) for its CONNECT to begin, is answered CONNACK 3 "server unavailable" so the client knows why,
    /// and is closed; one whose CONNECT does not come in time, or that finds the room full too, is just closed.
    /// Two places are enough: the engine keeps spare slots of its own for this answer, so the room only serves
    /// the rare burst beyond those (and on the board every place is one of lwIP's 16 sockets).
    /// </summary>
    internal sealed class Overflow
    {
        private const int Places = 2;
        private const int WaitMs = 2000;

        // CONNACK, remaining length 2, no session present, return code 3: the same bytes in 3.1 and 3.1.1.
        private static readonly byte[] ConnackUnavailable = new byte[] { 0x20, 0x02, 0x00, 0x03 };

        private readonly ITransportLog _log;
        private readonly Socket[] _sockets = new Socket[Places];
        private readonly EndPoint[] _from = new EndPoint[Places];
        private readonly long[] _until = new long[Places];
        private readonly byte[] _drain = new byte[Quiet.DrainSize];

        public Overflow(ITransportLog log)
        {
            _log = log;
        }

        public void Add(Socket s, long now)
        {
            for (int i = 0; i < Places; i++)
            {
                if (_sockets[i] == null)
                {
                    _sockets[i] = s;
                    _from[i] = _log != null ? Quiet.RemoteOf(s) : null;
                    _until[i] = now + WaitMs;
                    return;
                }
            }

            if (_log != null)
            {
                _log.Refused(Quiet.RemoteOf(s), false);
            }

            Quiet.Close(s, _drain);
        }

        /// <summary>Answers and closes whoever is ready or out of time; true when any was.</summary>
        public bool Service(long now)
        {
            bool busy = false;
            for (int i = 0; i < Places; i++)
            {
                Socket s = _sockets[i];
                if (s == null)
                {
                    continue;
                }

                bool sent = false;
                bool done = now >= _until[i];
                try
                {
                    // Once its CONNECT has begun to arrive the client is reading, waiting for the CONNACK.
                    if (s.Available > 0 && s.Poll(0, SelectMode.SelectWrite))
                    {
                        sent = s.Send(ConnackUnavailable, 0, ConnackUnavailable.Length, SocketFlags.None) == ConnackUnavailable.Length;
                        done = true;
                    }
                    else if (s.Poll(0, SelectMode.SelectRead) && s.Available == 0)
                    {
                        done = true;
                    }
                }
                catch (SocketException)
                {
                    done = true;
                }

                if (done)
                {
                    if (_log != null)
                    {
                        _log.Refused(_from[i], sent);
                    }

                    Quiet.Close(s, _drain);
                    _sockets[i] = null;
                    _from[i] = null;
                    busy = true;
                }
            }

            return busy;
        }

        public void CloseAll()
        {
            for (int i = 0; i < Places; i++)
            {
                if (_sockets[i] != null)
                {
                    Quiet.Close(_sockets[i], _drain);
                    _sockets[i] = null;
                    _from[i] = null;
                }
            }
        }
    }
}
