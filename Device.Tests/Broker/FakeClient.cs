using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    /// <summary>
    /// One client end of the in-memory transport. What it sends goes through an outbox that the transport
    /// pushes into the engine as far as the engine's receive buffer has room (so back-pressure is real);
    /// what the engine sends lands in Inbox, where the Expect methods decode it with the codec.
    /// </summary>
    public sealed class FakeClient
    {
        public readonly int Handle;
        public readonly byte[] Inbox = new byte[16384];

        /// <summary>False: the client stops reading its socket, so the engine's transmit buffer fills up.</summary>
        public bool Reading = true;

        private readonly FakeNet _net;
        private readonly byte[] _outbox = new byte[8192];
        private int _outStart;
        private int _outEnd;
        private int _inboxEnd;
        private int _readPos;
        private bool _closed;

        public FakeClient(FakeNet net, int handle)
        {
            _net = net;
            Handle = handle;
        }

        /// <summary>The connection is gone: closed by the engine (WantsClose) or dropped by the network.</summary>
        public bool IsClosed { get { return _closed; } }

        public void MarkClosed()
        {
            _closed = true;
        }

        /// <summary>Writes a packet to the "socket" and lets the transport run one round.</summary>
        public void Send(byte[] bytes)
        {
            Send(bytes, 0, bytes.Length);
        }

        public void Send(byte[] bytes, int offset, int count)
        {
            Assert.IsFalse(_closed, "send on a closed connection");
            System.Array.Copy(bytes, offset, _outbox, _outEnd, count);
            _outEnd += count;
            _net.Pump();
        }

        /// <summary>Bytes sent but not yet taken by the engine (its receive buffer was full).</summary>
        public int Unsent { get { return _outEnd - _outStart; } }

        public void PushPending()
        {
            while (_outStart < _outEnd && !_closed)
            {
                int offset;
                int free;
                byte[] buffer = _net.Engine.ReceiveBuffer(Handle, out offset, out free);
                if (free == 0)
                {
                    return;
                }

                int n = _outEnd - _outStart;
                if (n > free)
                {
                    n = free;
                }

                System.Array.Copy(_outbox, _outStart, buffer, offset, n);
                _outStart += n;
                _net.Engine.Received(Handle, n, _net.Now);
            }

            if (_outStart == _outEnd)
            {
                _outStart = 0;
                _outEnd = 0;
            }
        }

        /// <summary>Reads everything the engine has for this client.</summary>
        public void Drain()
        {
            Drain(int.MaxValue);
        }

        /// <summary>Reads at most max bytes; returns how many.</summary>
        public int Drain(int max)
        {
            int total = 0;
            while (total < max)
            {
                byte[] buffer;
                int offset;
                int n = _net.Engine.PendingOutput(Handle, out buffer, out offset);
                if (n == 0)
                {
                    break;
                }

                if (n > max - total)
                {
                    n = max - total;
                }

                if (_readPos == _inboxEnd)
                {
                    // Everything read so far was consumed: start over so long runs fit the inbox.
                    _readPos = 0;
                    _inboxEnd = 0;
                }

                Assert.IsTrue(_inboxEnd + n <= Inbox.Length, "test inbox overflow");
                System.Array.Copy(buffer, offset, Inbox, _inboxEnd, n);
                _inboxEnd += n;
                total += n;
                _net.Engine.Sent(Handle, n);
            }

            return total;
        }

        /// <summary>The network fails under the client: the transport reports the connection closed.</summary>
        public void DropNetwork()
        {
            _closed = true;
            _net.Engine.Closed(Handle, _net.Now);
            _net.Pump();
        }

        // ---- Reading what the engine sent ------------------------------------------------------------

        /// <summary>Bytes received and not yet consumed by an Expect method.</summary>
        public int Unread { get { return _inboxEnd - _readPos; } }

        private readonly FixedHeader _header = new FixedHeader();
        private readonly Packet _packet = new Packet();

        /// <summary>The next whole packet; header is this client's own, reused by the next call (allocation tests measure through it).</summary>
        public bool TryNext(out FixedHeader header, out int offset)
        {
            offset = _readPos;
            header = _header;
            DecodeResult r = Framing.ReadHeader(Inbox, _readPos, _inboxEnd - _readPos, 0, header);
            if (r != DecodeResult.Ok || header.TotalLength > _inboxEnd - _readPos)
            {
                return false;
            }

            _readPos += header.TotalLength;
            return true;
        }

        public FixedHeader Expect(byte type, out int offset)
        {
            FixedHeader h;
            Assert.IsTrue(TryNext(out h, out offset), "expected packet type " + type.ToString() + ", got nothing");
            Assert.AreEqual(type, h.Type, "packet type");
            Assert.AreEqual(DecodeResult.Ok, _packet.Validate(Inbox, offset, h), "engine sent a malformed packet");
            return h;
        }

        public ConnackView ExpectConnack()
        {
            int offset;
            FixedHeader h = Expect(PacketType.Connack, out offset);
            ConnackView v = new ConnackView();
            ConnackPacket.Decode(Inbox, offset, h, v);
            return v;
        }

        public PublishView ExpectPublish()
        {
            int offset;
            FixedHeader h = Expect(PacketType.Publish, out offset);
            PublishView v = new PublishView();
            PublishPacket.Decode(Inbox, offset, h, v);
            return v;
        }

        /// <summary>Expects a PUBLISH with this topic, payload and QoS; returns it for further checks.</summary>
        public PublishView ExpectPublish(string topic, string payload, byte qos)
        {
            PublishView v = ExpectPublish();
            Assert.AreEqual(topic, Text(v.TopicOffset, v.TopicLength), "topic");
            Assert.AreEqual(payload, Text(v.PayloadOffset, v.PayloadLength), "payload");
            Assert.AreEqual(qos, v.Qos, "QoS");
            return v;
        }

        public ushort ExpectAck(byte type)
        {
            int offset;
            FixedHeader h = Expect(type, out offset);
            ushort packetId;
            AckPacket.Decode(Inbox, offset, h, out packetId);
            return packetId;
        }

        public byte[] ExpectSuback(ushort packetId)
        {
            int offset;
            FixedHeader h = Expect(PacketType.Suback, out offset);
            SubackView v = new SubackView();
            SubackPacket.Decode(Inbox, offset, h, v);
            Assert.AreEqual(packetId, v.PacketId, "SUBACK packet id");
            byte[] codes = new byte[v.ReturnCodesLength];
            System.Array.Copy(Inbox, v.ReturnCodesOffset, codes, 0, codes.Length);
            return codes;
        }

        /// <summary>Expects the next packet to be exactly these bytes (the wire form, fixed header included).</summary>
        public void ExpectBytes(byte[] expected)
        {
            FixedHeader h;
            int offset;
            Assert.IsTrue(TryNext(out h, out offset), "expected a packet, got nothing");
            byte[] got = new byte[h.TotalLength];
            System.Array.Copy(Inbox, offset, got, 0, got.Length);
            CollectionAssert.AreEqual(expected, got, "bytes from the broker");
        }

        public void ExpectNothing()
        {
            Assert.AreEqual(0, Unread, "expected no more bytes from the broker");
        }

        /// <summary>Subscribes to one filter and checks the granted QoS.</summary>
        public void Subscribe(string filter, byte qos)
        {
            Send(TestPackets.Subscribe(77, filter, qos));
            byte[] codes = ExpectSuback(77);
            Assert.AreEqual(qos, codes[0], "granted QoS");
        }

        public string Text(int offset, int length)
        {
            return Utf8.Decode(Inbox, offset, length);
        }
    }
}
