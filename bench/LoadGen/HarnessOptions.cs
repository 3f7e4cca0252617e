using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System;

namespace LoadGen
{
    /// <summary>What one invocation runs: which brokers, which scenarios, how many messages, how often.</summary>
    public sealed class HarnessOptions
    {
        public bool Short;
        public int Repeat = 1;
        public List<string> Brokers = new List<string> { "ours", "mosquitto", "MQTTnet" };
        public string Filter;
        public string CsvPath;
        public string ChartPath;
        public string OursDll;

        /// <summary>--open: the open-loop matrix of issue 10 instead of the closed-loop one of issue 5.</summary>
        public bool Open;

        /// <summary>--fan-in-widths 10,100,1000 (or --widths for both): the N of fan-in N:1 in the open-loop matrix.</summary>
        public int[] FanInWidths = { 10, 100, 1000 };

        /// <summary>--fan-out-widths 10,1000 (or --widths for both): the N of fan-out 1:N; the matrix has no 1:100.</summary>
        public int[] FanOutWidths = { 10, 1000 };

        /// <summary>--connections 1000,5000,10000: the connection-scale run instead of the message scenarios.</summary>
        public int[] Connections;

        /// <summary>With --connections: after the one-message round, every client publishes one message a second for this many seconds.</summary>
        public int SustainSeconds;

        /// <summary>--slow SECONDS: the slow-subscriber run (SlowSubscriber) instead of the message scenarios.</summary>
        public int SlowSeconds;

        /// <summary>--bridged: publishers on a bridging broker, the subscriber on its upstream (Bridged.cs), ours against Mosquitto's bridge.</summary>
        public bool Bridged;
        public TimeSpan Deadline = TimeSpan.FromSeconds(60);
        /// <summary>Long enough for a broker that is merely slow: Mosquitto's QoS 2 fan-in pauses for seconds.</summary>
        public TimeSpan Stall = TimeSpan.FromSeconds(20);
    }
}
