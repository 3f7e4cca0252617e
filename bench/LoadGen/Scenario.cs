using System;

namespace LoadGen
{
    public enum Topology
    {
        /// <summary>10 publishers, 1 subscriber on the same topic.</summary>
        FanIn,

        /// <summary>1 publisher, 10 subscribers on its topic.</summary>
        FanOut,

        /// <summary>10 publisher/subscriber pairs, each on its own topic.</summary>
        Pairs,
    }

    /// <summary>One benchmark case. Messages counts deliveries (messages subscribers receive), so every topology moves the same work.</summary>
    public sealed class Scenario
    {
        public Topology Topology;
        public byte Qos;
        public int PayloadSize;
        public int Messages;

        /// <summary>
        /// QoS 1/2 messages a publisher may have unacknowledged by the broker (PUBACK, PUBCOMP). 20 is Mosquitto's
        /// max_inflight_messages and our InflightPerSession: Mosquitto drops a client that has more QoS 2 messages
        /// pending, and ours refuses more than IncomingQos2PerSession (also 20).
        /// </summary>
        public int InFlightWindow = 20;

        /// <summary>
        /// Messages a publisher may have published but not yet seen delivered (to every subscriber): keeps every
        /// broker's queues short and equal, so we measure forwarding rather than queue growth or overflow drops.
        /// </summary>
        public int EndToEndWindow = 100;

        /// <summary>N of fan-in N:1 and fan-out 1:N (the closed-loop matrix uses 10).</summary>
        public int Width = 10;

        /// <summary>
        /// Open loop (issue 10): publishers are held only by their own QoS 1/2 window (InFlightWindow, 16), QoS 0 by
        /// what the socket takes; no end-to-end window, so a broker's queues, back-pressure or drops all show.
        /// </summary>
        public bool OpenLoop;

        /// <summary>The open-loop variant of a scenario: window 16, no end-to-end limit.</summary>
        public static Scenario Open(Topology t, int width, byte qos, int payload, int messages)
        {
            return new Scenario { Topology = t, Width = width, Qos = qos, PayloadSize = payload, Messages = messages, OpenLoop = true,
                InFlightWindow = 16, EndToEndWindow = int.MaxValue / 4 };
        }

        public int Publishers => Topology == Topology.FanOut ? 1 : Topology == Topology.FanIn ? Width : 10;

        public int Subscribers => Topology == Topology.FanIn ? 1 : Topology == Topology.FanOut ? Width : 10;

        /// <summary>How many subscribers receive each publication.</summary>
        public int FanOut => Topology == Topology.FanOut ? Width : 1;

        public int PerPublisher => Messages / FanOut / Publishers;

        public int Deliveries => PerPublisher * Publishers * FanOut;

        public string Name => (OpenLoop ? "open " : "") + TopologyName + " q" + Qos + " " + (PayloadSize >= 1024 ? PayloadSize / 1024 + "KB" : PayloadSize + "B");

        public string TopologyName => Topology == Topology.FanIn ? "fan-in " + Width + ":1" : Topology == Topology.FanOut ? "fan-out 1:" + Width : "pairs 10x1:1";

        public override string ToString() => Name;
    }

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

    public sealed class RunResult
    {
        public Scenario Scenario;
        public long Expected;
        public long Received;
        public long Duplicates;
        public long Lost => Expected - Received;
        public double Seconds;
        public double MessagesPerSecond => Seconds > 0 ? Received / Seconds : 0;
        public double P50Us;
        public double P99Us;
        public string Error;

        /// <summary>CPU seconds the broker process used during the run (filled in by the harness).</summary>
        public double BrokerCpuSeconds;
        public double LoadGenCpuSeconds;

        /// <summary>CPU seconds every other process on the machine used meanwhile: how quiet the machine was.</summary>
        public double OtherCpuSeconds;

        /// <summary>Bytes the broker allocated per delivered message, when it can tell (ours; null otherwise).</summary>
        public double? AllocatedPerMessage;

        /// <summary>No failure: QoS 0 may lose messages (that shows in Lost), QoS 1 may duplicate, QoS 2 may do neither.</summary>
        public bool Ok => Error == null && (Scenario.Qos == 0 || Lost == 0) && (Scenario.Qos != 2 || Duplicates == 0);
    }
}
