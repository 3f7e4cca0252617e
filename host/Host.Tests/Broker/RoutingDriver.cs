using System;
using Device.Broker;

namespace Host.Tests
{
    /// <summary>
    /// The routing case of issue 16, driven through the engine's seam with hand-built MQTT 3.1.1 bytes only
    /// (no codec call of its own, so the IL meter counts the engine and nothing else, and the driver works
    /// unchanged across codec API changes): the Device profile, one publisher, four subscribers holding
    /// 16 subscriptions between them, and a QoS 0 PUBLISH to "home/room1/sensor2" that 2 of them match
    /// ("home/room1/sensor2" of subscriber 1 and "home/+/sensor2" of subscriber 2).
    /// Public because <see cref="IlMeter"/> calls it by reflection in its own load context.
    /// </summary>
    public sealed class RoutingDriver
    {
        public const string Topic = "home/room1/sensor2";
        public const int PayloadLength = 16;

        private readonly BrokerEngine _engine;
        private readonly int _publisher;
        private readonly int[] _subscribers = new int[4];
        private readonly byte[] _publish;
        private readonly long[] _received = new long[4];

        public RoutingDriver()
        {
            _engine = new BrokerEngine(BrokerOptions.Device());
            _publisher = Connect("publisher");
            for (int k = 0; k < 4; k++)
            {
                _subscribers[k] = Connect("subscriber-" + k);
                for (int j = 0; j < 4; j++)
                {
                    string filter = k == 2 && j == 0 ? "home/+/sensor2" : "home/room" + k + "/sensor" + j;
                    Subscribe(_subscribers[k], (ushort)(j + 1), filter);
                }
            }

            _publish = Publish(Topic, PayloadLength);
        }

        /// <summary>Subscriptions the engine holds (16).</summary>
        public int Subscriptions { get { return _engine.Subscriptions.Count; } }

        /// <summary>The measured step: the PUBLISH arrives and is routed into the subscribers' transmit buffers.</summary>
        public void RouteOne()
        {
            byte[] rx = _engine.ReceiveBuffer(_publisher, out int at, out int free);
            Array.Copy(_publish, 0, rx, at, _publish.Length);
            _engine.Received(_publisher, _publish.Length, 1);
        }

        /// <summary>Not measured: the transport drains every transmit buffer; returns the PUBLISH bytes subscriber k got since the last call.</summary>
        public long Drain(int k)
        {
            for (int i = 0; i < 4; i++)
            {
                _received[i] += Flush(_subscribers[i]);
            }

            Flush(_publisher);
            long n = _received[k];
            _received[k] = 0;
            return n;
        }

        /// <summary>Size of the PUBLISH a subscriber receives (retain 0, QoS 0).</summary>
        public int PublishSize { get { return _publish.Length; } }

        private int Connect(string id)
        {
            int c = _engine.Accept(1);
            byte[] idBytes = System.Text.Encoding.ASCII.GetBytes(id);
            byte[] p = new byte[2 + 10 + 2 + idBytes.Length];
            p[0] = 0x10;
            p[1] = (byte)(p.Length - 2);
            byte[] header = { 0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 4, 0x02, 0x0E, 0x10 };
            Array.Copy(header, 0, p, 2, header.Length);
            p[12] = 0;
            p[13] = (byte)idBytes.Length;
            Array.Copy(idBytes, 0, p, 14, idBytes.Length);
            Send(c, p);
            if (!_engine.IsConnected(c))
            {
                throw new InvalidOperationException("CONNECT refused");
            }

            return c;
        }

        private void Subscribe(int c, ushort packetId, string filter)
        {
            byte[] f = System.Text.Encoding.ASCII.GetBytes(filter);
            byte[] p = new byte[2 + 2 + 2 + f.Length + 1];
            p[0] = 0x82;
            p[1] = (byte)(p.Length - 2);
            p[2] = (byte)(packetId >> 8);
            p[3] = (byte)packetId;
            p[4] = 0;
            p[5] = (byte)f.Length;
            Array.Copy(f, 0, p, 6, f.Length);
            Send(c, p);
        }

        private static byte[] Publish(string topic, int payloadLength)
        {
            byte[] t = System.Text.Encoding.ASCII.GetBytes(topic);
            byte[] p = new byte[2 + 2 + t.Length + payloadLength];
            p[0] = 0x30;
            p[1] = (byte)(p.Length - 2);
            p[3] = (byte)t.Length;
            Array.Copy(t, 0, p, 4, t.Length);
            for (int i = 0; i < payloadLength; i++)
            {
                p[4 + t.Length + i] = (byte)('a' + i);
            }

            return p;
        }

        private void Send(int c, byte[] p)
        {
            byte[] rx = _engine.ReceiveBuffer(c, out int at, out int free);
            Array.Copy(p, 0, rx, at, p.Length);
            _engine.Received(c, p.Length, 1);
            Flush(c);
        }

        private long Flush(int c)
        {
            long total = 0;
            while (true)
            {
                int n = _engine.PendingOutput(c, out byte[] buffer, out int offset);
                if (n == 0)
                {
                    return total;
                }

                total += n;
                _engine.Sent(c, n);
            }
        }
    }
}
