using System;
using Device.Broker;
using Device.Protocol;

namespace Fuzz.Shared
{
    /// <summary>
    /// Plays a byte string against the engine as up to four network clients, the way a transport would, and
    /// checks the engine from outside: it never throws, never emits a byte that is not a valid server-to-client
    /// packet, keeps its connected count honest, and once time runs past every timeout holds no connection at
    /// all, with every slot reusable. The same bytes always give the same run, so AFL++ can mutate scripts and
    /// a finding replays exactly. Allocation-free after construction when the broker is reused.
    ///
    /// Script: a sequence of ops. Op byte: bits 0-1 client, bits 2-4 kind, bits 5-7 argument.
    ///   kind 0-2  send: next byte + 1 = length, then that many bytes to the broker (connects first if needed)
    ///   kind 3    the client reads everything pending
    ///   kind 4    the client's socket takes only (argument + 1) bytes of it
    ///   kind 5    the network drops the connection
    ///   kind 6    time passes: (next byte + 1) x 100 ms, then Tick
    ///   kind 7    argument bit 0: the client stops reading; bit 1: it answers PUBLISH/PUBREL by itself
    /// </summary>
    public sealed class EngineScript
    {
        public const int Clients = 4;
        private const int PendingCapacity = 8192;

        private readonly BrokerOptions options;
        private readonly FixedHeader header = new FixedHeader();
        private readonly Packet packet = new Packet();
        private readonly PublishView publish = new PublishView();
        private readonly bool freshBroker;
        private BrokerEngine broker;
        private long now = 1000;

        private readonly int[] handle = new int[Clients];
        private readonly bool[] stalled = new bool[Clients];
        private readonly bool[] autoAck = new bool[Clients];
        private readonly bool[] sawConnack = new bool[Clients];
        private readonly byte[][] pending = new byte[Clients][];
        private readonly int[] pendingLen = new int[Clients];
        private readonly byte[][] inbox = new byte[Clients][];
        private readonly int[] inboxLen = new int[Clients];
        private readonly int[] slotCheck;

        public long Scripts;
        public long Ops;
        public long BytesIn;
        public long PacketsOut;
        public long Refused;
        public long NetworkDrops;
        public long EngineCloses;

        public EngineScript(BrokerOptions options, bool freshBrokerPerScript)
        {
            this.options = options;
            freshBroker = freshBrokerPerScript;
            slotCheck = new int[options.Connections];
            for (int k = 0; k < Clients; k++)
            {
                handle[k] = -1;
                pending[k] = new byte[PendingCapacity];
                inbox[k] = new byte[options.TxBufferSize * 2 + 16];
            }
        }

        public BrokerEngine Engine { get { return broker; } }

        /// <summary>
        /// Small tables so a short run fills every one of them: fewer slots than clients, two persistent
        /// sessions, a four-deep queue, a 2 KB pool (16 messages, 32 deliveries).
        /// </summary>
        public static BrokerOptions TightOptions()
        {
            BrokerOptions o = BrokerOptions.Device();
            o.MaxClients = 2;
            o.SpareConnections = 1;
            o.MaxPacketSize = 512;
            o.TxBufferSize = 768;
            o.ConnectTimeoutMs = 2000;
            o.KeepAliveMaxSeconds = 120;
            o.MaxPersistentSessions = 2;
            o.InflightPerSession = 2;
            o.IncomingQos2PerSession = 2;
            o.MaxQueuedMessages = 4;
            // 16 messages, 32 deliveries, 1,248 message bytes.
            o.PoolBytes = 2048;
            o.StallTimeoutMs = 2000;
            o.MaxSubscriptions = 12;
            o.MaxSubscriptionsPerClient = 4;
            o.SubscriptionBytes = 256;
            o.MaxTopicLength = 64;
            o.RetainedSlots = 4;
            o.RetainedBytes = 256;
            o.WillBytes = 256;
            return o;
        }

        public void Run(byte[] input, int len)
        {
            if (broker == null || freshBroker)
            {
                broker = new BrokerEngine(options);
                // The same input must take the same path: time starts over with the broker.
                now = 1000;
            }

            Scripts++;
            // Flags set on a client that never connected would otherwise carry over into the next script.
            for (int k = 0; k < Clients; k++)
            {
                Forget(k);
            }

            int pos = 0;
            while (pos < len)
            {
                byte op = input[pos++];
                int k = op & 3;
                int arg = op >> 5;
                Ops++;
                switch ((op >> 2) & 7)
                {
                    case 3:
                        Drain(k, int.MaxValue);
                        break;
                    case 4:
                        Drain(k, arg + 1);
                        break;
                    case 5:
                        NetworkClose(k);
                        break;
                    case 6:
                        Advance(pos < len ? (input[pos++] + 1) * 100 : 100);
                        break;
                    case 7:
                        stalled[k] = (arg & 1) != 0;
                        autoAck[k] = (arg & 2) != 0;
                        break;
                    default:
                        int n = pos < len ? input[pos++] + 1 : 0;
                        n = Math.Min(n, len - pos);
                        Send(k, input, pos, n);
                        pos += n;
                        break;
                }

                Service();
            }

            Finish();
        }

        private void Send(int k, byte[] src, int off, int n)
        {
            if (handle[k] < 0)
            {
                int h = broker.Accept(now);
                if (h < 0)
                {
                    Refused++;
                    return;
                }

                for (int j = 0; j < Clients; j++)
                {
                    Require(handle[j] != h, "Accept handed out a handle that is still open");
                }

                handle[k] = h;
            }

            n = Math.Min(n, PendingCapacity - pendingLen[k]);
            Array.Copy(src, off, pending[k], pendingLen[k], n);
            pendingLen[k] += n;
        }

        /// <summary>What a transport loop does for every socket: read what the engine takes, write, honour WantsClose.</summary>
        private void Service()
        {
            for (int k = 0; k < Clients; k++)
            {
                int h = handle[k];
                if (h < 0)
                {
                    continue;
                }

                Feed(k);
                if (!stalled[k])
                {
                    Drain(k, int.MaxValue);
                }

                if (broker.WantsClose(h))
                {
                    // Best-effort flush, as a transport does before closing the socket.
                    Drain(k, int.MaxValue);
                    broker.Closed(h, now);
                    EngineCloses++;
                    Forget(k);
                }
            }

            // Counted after the whole pass: one client's CONNECT may take over another's connection.
            int connected = 0;
            for (int k = 0; k < Clients; k++)
            {
                if (handle[k] >= 0 && broker.IsConnected(handle[k]))
                {
                    connected++;
                }
            }

            Require(connected == broker.Counters.ClientsConnected, "ClientsConnected disagrees with the connections");
            Require(connected <= options.MaxClients, "more clients connected than MaxClients");
        }

        private void Feed(int k)
        {
            int h = handle[k];
            while (pendingLen[k] > 0 && !broker.WantsClose(h))
            {
                int off;
                int free;
                byte[] rx = broker.ReceiveBuffer(h, out off, out free);
                if (free <= 0)
                {
                    return;
                }

                int n = Math.Min(free, pendingLen[k]);
                Array.Copy(pending[k], 0, rx, off, n);
                Array.Copy(pending[k], n, pending[k], 0, pendingLen[k] - n);
                pendingLen[k] -= n;
                BytesIn += n;
                broker.Received(h, n, now);
            }
        }

        private void Drain(int k, int max)
        {
            int h = handle[k];
            if (h < 0)
            {
                return;
            }

            int taken = 0;
            for (int guard = 0; taken < max; guard++)
            {
                Require(guard < 100000, "output never ends");
                byte[] tx;
                int off;
                int n = broker.PendingOutput(h, out tx, out off);
                if (n <= 0)
                {
                    return;
                }

                Require(n <= options.TxBufferSize, "pending output larger than the transmit buffer");
                int take = Math.Min(n, Math.Min(max - taken, inbox[k].Length - inboxLen[k]));
                Array.Copy(tx, off, inbox[k], inboxLen[k], take);
                inboxLen[k] += take;
                taken += take;
                broker.Sent(h, take);
                Read(k);
            }
        }

        /// <summary>The client side: every byte the broker sent must be a valid packet a server may send.</summary>
        private void Read(int k)
        {
            byte[] b = inbox[k];
            int at = 0;
            while (inboxLen[k] - at >= 2)
            {
                FixedHeader h = header;
                DecodeResult r = Framing.ReadHeader(b, at, inboxLen[k] - at, 0, h);
                if (r == DecodeResult.NeedMore)
                {
                    break;
                }

                Require(r == DecodeResult.Ok, "broker sent an unreadable header");
                if (h.TotalLength > inboxLen[k] - at)
                {
                    break;
                }

                Require(packet.Validate(b, at, h) == DecodeResult.Ok, "broker sent an invalid packet");
                Require(h.TotalLength <= options.TxBufferSize, "broker sent a packet larger than its transmit buffer");
                Require(h.Type == PacketType.Connack ? !sawConnack[k] : sawConnack[k], "CONNACK not first, or twice");
                switch (h.Type)
                {
                    case PacketType.Connack:
                        sawConnack[k] = true;
                        break;
                    case PacketType.Publish:
                        Answer(k, b, at, h);
                        break;
                    case PacketType.Pubrel:
                        if (autoAck[k])
                        {
                            Reply(k, PacketType.Pubcomp, (ushort)((b[at + 2] << 8) | b[at + 3]));
                        }

                        break;
                    case PacketType.Puback:
                    case PacketType.Pubrec:
                    case PacketType.Pubcomp:
                    case PacketType.Suback:
                    case PacketType.Unsuback:
                    case PacketType.Pingresp:
                        break;
                    default:
                        throw new FuzzFailure("broker sent a client-to-server packet, type " + h.Type);
                }

                PacketsOut++;
                at += h.TotalLength;
            }

            Array.Copy(b, at, b, 0, inboxLen[k] - at);
            inboxLen[k] -= at;
        }

        private void Answer(int k, byte[] b, int at, FixedHeader h)
        {
            PublishView v = publish;
            PublishPacket.Decode(b, at, h, v);
            Require(v.TopicLength <= options.MaxTopicLength, "routed a topic longer than MaxTopicLength");
            if (autoAck[k] && v.Qos > 0)
            {
                Reply(k, v.Qos == 1 ? PacketType.Puback : PacketType.Pubrec, v.PacketId);
            }
        }

        private void Reply(int k, byte type, ushort id)
        {
            if (pendingLen[k] + AckPacket.Size <= PendingCapacity)
            {
                AckPacket.Encode(pending[k], pendingLen[k], AckPacket.Size, type, id);
                pendingLen[k] += AckPacket.Size;
            }
        }

        private void NetworkClose(int k)
        {
            if (handle[k] >= 0)
            {
                broker.Closed(handle[k], now);
                NetworkDrops++;
                Forget(k);
            }
        }

        private void Advance(int ms)
        {
            now += ms;
            broker.Tick(now);
        }

        private void Forget(int k)
        {
            handle[k] = -1;
            pendingLen[k] = 0;
            inboxLen[k] = 0;
            sawConnack[k] = false;
            stalled[k] = false;
            autoAck[k] = false;
        }

        /// <summary>
        /// Every client reads again, then time runs past the connect timeout and 1.5 x the longest keep-alive (twice):
        /// a connection still open after that is stuck. Then every slot must open and close again.
        /// </summary>
        private void Finish()
        {
            for (int k = 0; k < Clients; k++)
            {
                stalled[k] = false;
            }

            Service();
            Advance(options.ConnectTimeoutMs + options.KeepAliveMaxSeconds * 1500 + 1);
            Service();
            // A publisher held back by a stalled subscriber is alive (its PUBLISH waits in the buffer): that Tick cut
            // the subscriber and let it run again, so its own keep-alive counts from then.
            Advance(options.ConnectTimeoutMs + options.KeepAliveMaxSeconds * 1500 + 1);
            Service();
            for (int k = 0; k < Clients; k++)
            {
                Require(handle[k] < 0, "a connection survived every timeout");
            }

            Require(broker.Counters.ClientsConnected == 0, "clients still counted as connected");
            int slots = options.Connections;
            for (int i = 0; i < slots; i++)
            {
                slotCheck[i] = broker.Accept(now);
                Require(slotCheck[i] >= 0, "a connection slot was not returned");
            }

            Require(broker.Accept(now) < 0, "more slots than configured");
            for (int i = 0; i < slots; i++)
            {
                broker.Closed(slotCheck[i], now);
            }
        }

        private static void Require(bool condition, string what)
        {
            if (!condition)
            {
                throw new FuzzFailure(what);
            }
        }
    }
}
