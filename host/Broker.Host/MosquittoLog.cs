using System.IO;
using System;

namespace Broker.Host
{
    /// <summary>
    /// Mosquitto-style log lines ("1700000000: New client connected from ..."), so people who read Mosquitto's log
    /// read ours. Packet-level lines appear only with -v, as with Mosquitto's debug log type.
    /// </summary>
    public sealed class MosquittoLog
    {
        private readonly TextWriter _out;
        private readonly object _gate = new object();

        public MosquittoLog(TextWriter output, bool verbose)
        {
            _out = output;
            Verbose = verbose;
        }

        public bool Verbose { get; }

        public void Info(string message)
        {
            Write(message);
        }

        public void Debug(string message)
        {
            if (Verbose)
            {
                Write(message);
            }
        }

        public void Error(string message)
        {
            Write("Error: " + message);
        }

        private void Write(string message)
        {
            // Ctrl+C handling runs on another thread than the broker loop.
            lock (_gate)
            {
                _out.WriteLine(DateTimeOffset.UtcNow.ToUnixTimeSeconds() + ": " + message);
                _out.Flush();
            }
        }
    }
}
