using System.Net.Sockets;
using Device.Broker;

namespace Device.Net
{
    /// <summary>
    /// Carries one Bridge's upstream connection over a socket, from the same loop as the listeners (SocketTransport
    /// calls Service every pass; no thread of its own). Tries the addresses in order (failover), waits restart_timeout
    /// between attempts, doubling up to its cap, and logs every attempt and failure once. Reads only what the bridge
    /// can forward now (Bridge.RemoteWants), so a busy local side pushes back on the upstream through TCP.
    /// </summary>
    public sealed class BridgeLink
    {
        private const int ConnectTimeoutMs = 10000;

        private readonly Bridge _bridge;
        private readonly IBridgeConnector _connector;
        private Socket _socket;
        private bool _open;
        private long _startedAt;
        private long _nextAttempt;
        private int _address;
        private int _failures;
        private bool _tried;
        private bool _wasUp;

        // The PC's epoll (null on the board, whose loop sleeps 1 ms when idle): the upstream socket is watched under a slot
        // past the connections', so an idle loop wakes when an ack arrives instead of after its 2 ms wait (which bounded a
        // window of 20 to about 10k QoS 1 messages a second). The transport ignores that slot's reports: the wake is the point.
        private IReadinessPlatform _watch;
        private int _slot;

        public BridgeLink(Bridge bridge, IBridgeConnector connector)
        {
            _bridge = bridge;
            _connector = connector;
        }

        public Bridge Bridge { get { return _bridge; } }

        /// <summary>Set by SocketTransport.AddBridge when its platform reports readiness: the slot (past the connections') to watch the upstream socket under.</summary>
        public void Watch(IReadinessPlatform platform, int slot)
        {
            _watch = platform;
            _slot = slot;
        }

        /// <summary>Attempts that failed in a row (the back-off's exponent); 0 once the upstream accepted.</summary>
        public int Failures { get { return _failures; } }

        public bool Service(long now)
        {
            bool busy = _bridge.Service(now);
            if (_socket == null)
            {
                if (now >= _nextAttempt && Wanted())
                {
                    Attempt(now);
                    busy = true;
                }

                return busy;
            }

            if (!_open)
            {
                string error;
                int state = _connector.Check(_socket, out error);
                if (state == 0 && now - _startedAt < ConnectTimeoutMs)
                {
                    return busy;
                }

                if (state <= 0)
                {
                    Failed(now, error != null ? error : "connect timed out");
                    return true;
                }

                _open = true;
                _bridge.RemoteOpened(now);
            }

            try
            {
                busy |= Pump(now);
            }
            catch (SocketException e)
            {
                Lost(now, "socket error " + e.ErrorCode);
                return true;
            }
            catch (System.ObjectDisposedException)
            {
                Lost(now, "socket closed");
                return true;
            }

            if (_socket == null)
            {
                // Pump saw the upstream close and already ended the link (a second Lost would log and back off twice).
                return true;
            }

            if (_bridge.RemoteUp && !_wasUp)
            {
                _wasUp = true;
                _failures = 0;
            }

            if (_bridge.Remote.State == Device.Client.ClientState.Disconnected && _bridge.Remote.TransmitCount == 0)
            {
                // Refused CONNACK, keep-alive expiry, a malformed packet: the client engine ended it.
                Lost(now, null);
                return true;
            }

            if (_watch != null)
            {
                // Readable while the remote engine takes bytes (not while a PUBLISH waits for the local side: a level-triggered
                // wait would wake at once, again and again), writable while output did not fit. The platform calls epoll_ctl
                // only when this changes.
                _watch.Interest(_slot, _bridge.RemoteWants() > 0, _bridge.Remote.TransmitCount > 0);
            }

            return busy;
        }

        private bool Pump(long now)
        {
            bool busy = false;
            Device.Client.MqttClient remote = _bridge.Remote;
            for (int turn = 0; turn < 64; turn++)
            {
                // After the first turn (Service fed it), refill what the last send emptied: without this a pass forwarded
                // at most one transmit buffer (about 1 KB) and the next waited for the rest of the loop.
                bool moved = turn > 0 && _bridge.Feed();
                if (remote.TransmitCount > 0)
                {
                    int sent = _connector.Send(_socket, remote.TransmitBuffer, 0, remote.TransmitCount);
                    if (sent > 0)
                    {
                        remote.Sent(sent);
                        moved = true;
                    }
                }

                int want = _bridge.RemoteWants();
                if (want > 0)
                {
                    int n = _connector.Receive(_socket, remote.ReceiveBuffer, remote.ReceiveCount, want);
                    if (n < 0)
                    {
                        Lost(now, "upstream closed the connection");
                        return true;
                    }

                    if (n > 0)
                    {
                        _bridge.RemoteReceived(n, now);
                        moved = true;
                    }
                }

                if (!moved)
                {
                    break;
                }

                busy = true;
            }

            return busy;
        }

        private bool Wanted()
        {
            BridgeOptions o = _bridge.Options;
            if (o.Start == BridgeStart.Once)
            {
                return !_tried;
            }

            return o.Start == BridgeStart.Automatic || _bridge.HasWaiting;
        }

        private void Attempt(long now)
        {
            BridgeOptions o = _bridge.Options;
            _tried = true;
            string host = o.Hosts[_address];
            int port = o.Ports[_address];
            _bridge.Say("connecting to " + host + ":" + port);
            string error;
            _socket = _connector.Begin(host, port, out error);
            _open = false;
            _startedAt = now;
            if (_socket == null)
            {
                Failed(now, error);
                return;
            }

            if (_watch != null)
            {
                // Watched for reading from the start (a TLS handshake's answers, a close); the connect itself is polled by Check.
                _watch.Opened(_socket, _slot);
            }
        }

        private void Failed(long now, string error)
        {
            BridgeOptions o = _bridge.Options;
            _bridge.Say("cannot connect to " + o.Hosts[_address] + ":" + o.Ports[_address] + ": " + error);
            CloseSocket();
            _bridge.RemoteLost(now);
            _address = (_address + 1) % o.AddressCount;
            Backoff(now);
        }

        private void Lost(long now, string why)
        {
            if (why != null)
            {
                _bridge.Say(why);
            }

            CloseSocket();
            _bridge.RemoteLost(now);
            BridgeOptions o = _bridge.Options;
            if (!_wasUp)
            {
                // Never accepted here (refused, or closed before CONNACK): the next address.
                _address = (_address + 1) % o.AddressCount;
            }
            else if (!o.RoundRobin)
            {
                _address = 0;
            }

            _wasUp = false;
            Backoff(now);
        }

        private void Backoff(long now)
        {
            BridgeOptions o = _bridge.Options;
            long delay = o.RestartBaseSeconds * 1000L;
            for (int i = 0; i < _failures && delay < o.RestartCapSeconds * 1000L; i++)
            {
                delay *= 2;
            }

            if (delay > o.RestartCapSeconds * 1000L)
            {
                delay = o.RestartCapSeconds * 1000L;
            }

            _failures++;
            _nextAttempt = now + delay;
            _bridge.Say("next attempt in " + (delay / 1000) + " s");
        }

        private void CloseSocket()
        {
            if (_socket != null)
            {
                _connector.Close(_socket);
                _socket = null;
            }

            _open = false;
        }

        /// <summary>At shutdown.</summary>
        public void Close()
        {
            CloseSocket();
        }
    }
}
