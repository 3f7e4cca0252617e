using System;

namespace LoadGen
{
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

        /// <summary>The topology actually run when the broker could not take the asked one (the board's 10 clients), else null.</summary>
        public string RanAs;

        /// <summary>CPU seconds the broker process used during the run (filled in by the harness).</summary>
        public double BrokerCpuSeconds;
        public double LoadGenCpuSeconds;

        /// <summary>CPU seconds every other process on the machine used meanwhile: how quiet the machine was.</summary>
        public double OtherCpuSeconds;

        /// <summary>
        /// CPU seconds the hypervisor took from this machine's cores meanwhile (/proc/stat steal): on a shared VM the
        /// broker's and the load generator's spin locks then wait on a descheduled core, and a run slowed 2-3x in issue 10 (docs/BENCHMARKS.md).
        /// </summary>
        public double StealSeconds;

        /// <summary>Which of the --repeat runs of its cell this was (0 first); the best one is kept for the tables.</summary>
        public int Repetition;

        /// <summary>Bytes the broker allocated per delivered message, when it can tell (ours; null otherwise).</summary>
        public double? AllocatedPerMessage;

        /// <summary>No failure: QoS 0 may lose messages (that shows in Lost), QoS 1 may duplicate, QoS 2 may do neither.</summary>
        public bool Ok => Error == null && (Scenario.Qos == 0 || Lost == 0) && (Scenario.Qos != 2 || Duplicates == 0);
    }
}
