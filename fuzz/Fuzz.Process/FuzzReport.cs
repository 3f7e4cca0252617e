using System.Collections.Generic;
using System.Linq;

namespace Fuzz.Process
{
    /// <summary>What one fuzz round against one setup saw. Any process exit, exception line, overdue connection or failed probe is a finding.</summary>
    public sealed class FuzzReport
    {
        public string Setup;
        public double Seconds;
        public long Executions;
        public long BytesSent;
        public int DistinctResponses;
        public int ProcessExits;
        public int ExitCode;
        public string[] ExceptionLines = new string[0];
        public int WatchedConnections;
        public int PastTimeout;
        public int ProbesOk;
        public int ProbesFailed;
        public long LogLines;
        public readonly List<string> Notes = new List<string>();

        public int Findings
        {
            get { return ProcessExits + ExceptionLines.Length + PastTimeout + ProbesFailed; }
        }

        public override string ToString()
        {
            string s = Setup + ": " + Executions + " executions in " + Seconds.ToString("F0") + " s, " + DistinctResponses + " distinct broker responses, "
                + ProcessExits + " process exits, " + ExceptionLines.Length + " exception lines in " + LogLines + " log lines, "
                + WatchedConnections + " sessions left open of which " + PastTimeout + " outlived their timeout, "
                + ProbesOk + " healthy-client probes ok, " + ProbesFailed + " failed";
            foreach (string n in Notes.Concat(ExceptionLines).Take(10))
            {
                s += "\n    " + n;
            }
            return s;
        }
    }
}
