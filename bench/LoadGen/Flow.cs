using System;

namespace LoadGen
{
    /// <summary>
    /// Per-publisher progress. The window counts from the highest sequence number each subscriber has seen, not
    /// from how many arrived: a broker may drop QoS 0 messages, and a lost message must not hold the window shut.
    /// </summary>
    public sealed class Flow
    {
        public long Sent;

        /// <summary>Per subscriber of this publisher: one past the highest sequence number it received.</summary>
        public readonly long[] Heard;

        /// <summary>When Heard last moved (Stopwatch ticks).</summary>
        public long HeardAt;

        public Flow(int subscribers)
        {
            Heard = new long[subscribers];
        }

        /// <summary>Takes everything sent as arrived or lost: a QoS 0 window whose messages were all dropped would never reopen.</summary>
        public void Forgive()
        {
            for (int i = 0; i < Heard.Length; i++)
            {
                Heard[i] = Sent;
            }
        }

        /// <summary>Publications not yet seen by the slowest of this publisher's subscribers.</summary>
        public long Outstanding()
        {
            long min = long.MaxValue;
            foreach (long h in Heard)
            {
                min = Math.Min(min, h);
            }

            return Sent - min;
        }
    }
}
