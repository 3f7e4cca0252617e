using System;

namespace LoadGen
{
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
}
