using System;

namespace Bench.LoadGen
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

        public int Publishers => Topology == Topology.FanOut ? 1 : 10;

        public int Subscribers => Topology == Topology.FanIn ? 1 : 10;

        /// <summary>How many subscribers receive each publication.</summary>
        public int FanOut => Topology == Topology.FanOut ? 10 : 1;

        public int PerPublisher => Messages / FanOut / Publishers;

        public int Deliveries => PerPublisher * Publishers * FanOut;

        public string Name => TopologyName + " q" + Qos + " " + (PayloadSize >= 1024 ? PayloadSize / 1024 + "KB" : PayloadSize + "B");

        public string TopologyName => Topology == Topology.FanIn ? "fan-in 10:1" : Topology == Topology.FanOut ? "fan-out 1:10" : "pairs 10x1:1";

        public override string ToString() => Name;
    }

    /// <summary>Per-publisher progress: the subscribers that receive its messages count them in Delivered.</summary>
    public sealed class Flow
    {
        public long Sent;
        public long Delivered;

        /// <summary>Deliveries not yet made, in publications (a fan-out publication counts once, rounded up).</summary>
        public long Outstanding(int fanOut) => (Sent * fanOut - Delivered + fanOut - 1) / fanOut;
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

        /// <summary>Bytes the broker allocated per delivered message, when it can tell (ours; null otherwise).</summary>
        public double? AllocatedPerMessage;

        public bool Ok => Error == null && Lost == 0 && (Scenario.Qos != 2 || Duplicates == 0);
    }
}
