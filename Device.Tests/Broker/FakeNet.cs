using Device.Broker;
using Device.Protocol;

namespace Device.Tests
{
    /// <summary>
    /// An in-memory transport with a fake clock: it drives the engine exactly as the socket transport does
    /// (Accept, ReceiveBuffer/Received, PendingOutput/Sent, WantsClose/Closed, Tick) and gives each test
    /// client an inbox of the bytes the engine sent it. Device-style: mscorlib only, no generics.
    /// </summary>
    public sealed class FakeNet
    {
        public readonly BrokerEngine Engine;
        public long Now = 1000;
        private readonly FakeClient[] _clients = new FakeClient[128];
        private int _clientCount;

        public FakeNet(BrokerOptions options)
        {
            Engine = new BrokerEngine(options);
        }

        /// <summary>A new network connection; null when the engine has no slot for it.</summary>
        public FakeClient Open()
        {
            int handle = Engine.Accept(Now);
            if (handle < 0)
            {
                return null;
            }

            FakeClient client = new FakeClient(this, handle);
            if (_clientCount == _clients.Length)
            {
                Compact();
            }

            _clients[_clientCount++] = client;
            return client;
        }

        /// <summary>A connection the broker drives itself (a bridge's local side, AcceptInternal); null without a slot.</summary>
        public FakeClient OpenInternal()
        {
            int handle = Engine.AcceptInternal(Now);
            if (handle < 0)
            {
                return null;
            }

            FakeClient client = new FakeClient(this, handle);
            if (_clientCount == _clients.Length)
            {
                Compact();
            }

            _clients[_clientCount++] = client;
            return client;
        }

        /// <summary>Opens a connection, sends CONNECT and checks CONNACK 0.</summary>
        public FakeClient Connect(string clientId, bool cleanSession)
        {
            ConnectSpec spec = new ConnectSpec(clientId);
            spec.CleanSession = cleanSession;
            return Connect(spec);
        }

        public FakeClient Connect(ConnectSpec spec)
        {
            FakeClient client = Open();
            nanoFramework.TestFramework.Assert.IsNotNull(client, "no connection slot");
            client.Send(TestPackets.Connect(spec));
            ConnackView ack = client.ExpectConnack();
            nanoFramework.TestFramework.Assert.AreEqual(ConnectReturnCode.Accepted, ack.ReturnCode, "CONNACK code");
            return client;
        }

        /// <summary>Moves the clock and runs the engine's timers, then lets every client read.</summary>
        public void Advance(long ms)
        {
            Now += ms;
            Engine.Tick(Now);
            Pump();
        }

        /// <summary>
        /// One round of the transport loop: push what clients still have to send, drain output into the inboxes
        /// of clients that read, and close connections the engine is done with (after flushing them).
        /// </summary>
        public void Pump()
        {
            // One client's packets change others' state (takeover, routing), so go round until nothing moves.
            bool moved = true;
            while (moved)
            {
                moved = false;
                for (int i = 0; i < _clientCount; i++)
                {
                    FakeClient c = _clients[i];
                    if (c.IsClosed)
                    {
                        continue;
                    }

                    int unsent = c.Unsent;
                    c.PushPending();
                    moved |= c.Unsent != unsent;
                    if (c.Reading)
                    {
                        moved |= c.Drain(int.MaxValue) > 0;
                    }

                    if (Engine.WantsClose(c.Handle))
                    {
                        c.Drain();
                        c.MarkClosed();
                        Engine.Closed(c.Handle, Now);
                        moved = true;
                    }
                }
            }
        }

        private void Compact()
        {
            int n = 0;
            for (int i = 0; i < _clientCount; i++)
            {
                if (!_clients[i].IsClosed)
                {
                    _clients[n++] = _clients[i];
                }
            }

            for (int i = n; i < _clientCount; i++)
            {
                _clients[i] = null;
            }

            _clientCount = n;
        }
    }
}
