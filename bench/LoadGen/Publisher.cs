using System.Buffers.Binary;
using System.Diagnostics;
using System.Threading;
using System;
using Device.Protocol;

namespace LoadGen
{
    /// <summary>
    /// Publishes a fixed number of stamped messages on one connection: the event loop calls Pump to encode the
    /// next batch into the transmit buffer and OnReadable for the broker's acknowledgements (answering PUBREC with
    /// PUBREL), so a publisher never exceeds its in-flight and end-to-end windows.
    /// </summary>
    public sealed class Publisher : IClient
    {
        private const int MaxBatch = 64;
        private const byte AwaitAck = 1;
        private const byte AwaitComp = 2;

        private readonly Conn conn;
        private readonly ushort id;
        private readonly Flow flow;
        private readonly Scenario sc;
        private readonly byte[] topic;
        private readonly int count;

        /// <summary>
        /// A batch waits until this much room is free: sending each message the moment one slot frees up would
        /// cost a syscall per message, on the load generator and the broker alike.
        /// </summary>
        private readonly int minBatch;

        /// <summary>State of each packet id: the broker must acknowledge exactly what we sent, in the right order.</summary>
        private readonly byte[] idState = new byte[65536];
        private int inFlight;
        private ushort nextId;
        private int seq;
        private long sentAt;

        /// <summary>
        /// A QoS 0 window that saw nothing arrive for this long is taken as dropped by the broker (the subscriber
        /// counts the loss): far above any p99 latency here, short enough that a dropping broker is still measured.
        /// </summary>
        private static readonly long LossTimeout = Stopwatch.Frequency / 5;

        public long ProtocolErrors;

        public Publisher(Conn conn, ushort id, Flow flow, Scenario sc, byte[] topic)
        {
            this.conn = conn;
            this.id = id;
            this.flow = flow;
            this.sc = sc;
            this.topic = topic;
            count = sc.PerPublisher;
            int limit = sc.Qos > 0 ? Math.Min(sc.InFlightWindow, sc.EndToEndWindow) : sc.EndToEndWindow;
            minBatch = Math.Max(1, Math.Min(limit / 2, MaxBatch));
        }

        public Conn Conn => conn;

        public int Sent => seq;

        public int InFlight => inFlight;

        /// <summary>Everything published and, at QoS 1/2, acknowledged.</summary>
        public bool Finished => seq >= count && inFlight == 0;

        public void Pump(long now)
        {
            int left = count - seq;
            if (left <= 0)
            {
                return;
            }

            if (sc.OpenLoop && sc.Qos == 0 && conn.TxPending)
            {
                // Open loop, QoS 0: as fast as the socket takes it, no faster.
                return;
            }

            long room = sc.EndToEndWindow - flow.Outstanding();
            if (room < Math.Min(minBatch, left) && sc.Qos == 0 && now - Math.Max(flow.HeardAt, sentAt) > LossTimeout)
            {
                flow.Forgive();
                room = sc.EndToEndWindow;
            }

            int n = (int)Math.Min(Math.Min(room, left), MaxBatch);
            if (sc.Qos > 0)
            {
                n = Math.Min(n, sc.InFlightWindow - inFlight);
            }

            if (n < Math.Min(minBatch, left))
            {
                return;
            }

            for (int i = 0; i < n; i++)
            {
                Append(seq++, now);
            }

            flow.Sent += n;
            sentAt = now;
        }

        private void Append(int seq, long now)
        {
            ushort packetId = 0;
            if (sc.Qos > 0)
            {
                nextId = (ushort)(nextId == 65535 ? 1 : nextId + 1);
                packetId = nextId;
                if (idState[packetId] != 0)
                {
                    throw new InvalidOperationException("packet id " + packetId + " still in flight");
                }

                idState[packetId] = AwaitAck;
                inFlight++;
            }

            conn.Reserve(sc.PayloadSize + topic.Length + 16);
            byte[] tx = conn.Tx;
            int h = PublishPacket.EncodeHeader(tx, conn.TxLength, conn.TxFree, sc.Qos, false, false, packetId, topic, 0, topic.Length, sc.PayloadSize);
            int p = conn.TxLength + h;
            Stamp.Write(tx, p, id, seq, now);
            // The rest of the payload is left as whatever the buffer held: brokers never look at it.
            conn.TxLength = p + sc.PayloadSize;
        }

        public void OnReadable(long now)
        {
            if (conn.TryReceive() == 0)
            {
                return;
            }

            while (conn.Next(out int off, out FixedHeader h))
            {
                if (h.Type == PacketType.Puback || h.Type == PacketType.Pubrec || h.Type == PacketType.Pubcomp)
                {
                    AckPacket.Decode(conn.Rx, off, h, out ushort pid);
                    Acknowledged(h.Type, pid);
                }

                conn.Consume(h);
            }
        }

        private void Acknowledged(byte type, ushort pid)
        {
            byte expect = type == PacketType.Pubcomp ? AwaitComp : AwaitAck;
            bool right = idState[pid] == expect && (type == PacketType.Puback ? sc.Qos == 1 : sc.Qos == 2);
            if (!right)
            {
                ProtocolErrors++;
                return;
            }

            if (type == PacketType.Pubrec)
            {
                idState[pid] = AwaitComp;
                conn.AppendAck(PacketType.Pubrel, pid);
                return;
            }

            idState[pid] = 0;
            inFlight--;
        }
    }
}
