using System.Diagnostics;
using System;
using Device.Protocol;

namespace LoadGen
{
    /// <summary>
    /// Receives on one connection until every expected message has arrived: marks each (publisher, sequence)
    /// seen to count distinct messages and duplicates, records the latency from the send time in the payload,
    /// acknowledges QoS 1/2 (sent with the event loop's next flush), and credits the publishers' windows.
    /// </summary>
    public sealed class Subscriber : IClient
    {
        private readonly Conn conn;
        private readonly Flow[] flows;
        private readonly int slot;

        /// <summary>seen[publisher][sequence]; null for publishers this subscriber does not hear.</summary>
        private readonly bool[][] seen;
        private readonly long expected;

        /// <summary>Latency of each distinct message, in microseconds.</summary>
        public readonly int[] Latencies;
        public long Received;
        public long Duplicates;
        /// <summary>Messages that are not ours to expect (malformed, another publisher's, out of range).</summary>
        public long Foreign;
        public long LastArrival;

        /// <param name="slot">This subscriber's place in the Heard array of each publisher's Flow.</param>
        public Subscriber(Conn conn, Scenario sc, Flow[] flows, int[] publishers, int slot)
        {
            this.conn = conn;
            this.flows = flows;
            this.slot = slot;
            seen = new bool[flows.Length][];
            foreach (int p in publishers)
            {
                seen[p] = new bool[sc.PerPublisher];
            }

            expected = (long)publishers.Length * sc.PerPublisher;
            Latencies = new int[expected];
        }

        public bool Done => Received >= expected;

        public Conn Conn => conn;

        public void OnReadable(long now)
        {
            if (conn.TryReceive() == 0)
            {
                return;
            }

            long before = Received;
            while (conn.Next(out int off, out FixedHeader h))
            {
                if (h.Type == PacketType.Publish)
                {
                    OnPublish(off, h, now);
                }
                else if (h.Type == PacketType.Pubrel)
                {
                    AckPacket.Decode(conn.Rx, off, h, out ushort pid);
                    conn.AppendAck(PacketType.Pubcomp, pid);
                }

                conn.Consume(h);
            }

            if (Received != before)
            {
                LastArrival = now;
            }
        }

        private void OnPublish(int off, FixedHeader h, long now)
        {
            PublishView v = conn.Publish;
            if (PublishPacket.Decode(conn.Rx, off, h, v) != DecodeResult.Ok || v.PayloadLength < Stamp.Size)
            {
                Foreign++;
                return;
            }

            if (v.Qos == 1)
            {
                conn.AppendAck(PacketType.Puback, v.PacketId);
            }
            else if (v.Qos == 2)
            {
                conn.AppendAck(PacketType.Pubrec, v.PacketId);
            }

            int p = Stamp.Publisher(conn.Rx, v.PayloadOffset);
            int seq = Stamp.Sequence(conn.Rx, v.PayloadOffset);
            bool[] mine = p < seen.Length ? seen[p] : null;
            if (mine == null || seq < 0 || seq >= mine.Length)
            {
                Foreign++;
                return;
            }

            if (mine[seq])
            {
                Duplicates++;
                return;
            }

            mine[seq] = true;
            long ticks = now - Stamp.Time(conn.Rx, v.PayloadOffset);
            Latencies[Received] = (int)(ticks * 1_000_000 / Stopwatch.Frequency);
            Received++;
            Flow f = flows[p];
            if (seq >= f.Heard[slot])
            {
                f.Heard[slot] = seq + 1;
                f.HeardAt = now;
            }
        }
    }
}
