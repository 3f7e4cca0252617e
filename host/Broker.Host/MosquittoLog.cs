using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System;

namespace Broker.Host
{
    /// <summary>
    /// Mosquitto-style log lines ("1700000000: New client connected from ..."), so people who read Mosquitto's log
    /// read ours, to the destinations of log_dest (stdout, stderr, file, syslog) and for the kinds of log_type.
    /// Packet-level lines are the debug kind: -v turns on every kind, as Mosquitto's -v does.
    /// </summary>
    public sealed class MosquittoLog : IDisposable
    {
        private readonly List<TextWriter> _writers = new List<TextWriter>();
        private readonly List<TextWriter> _owned = new List<TextWriter>();
        private readonly object _gate = new object();

        // The line being written (timestamp and message), under _gate; grown for a longer message.
        private char[] _line = new char[512];
        private readonly LogTypes _types;
        private readonly bool _timestamp;
        private bool _syslog;

        /// <summary>Everything (verbose) or Mosquitto's default kinds, to one writer with time stamps.</summary>
        public MosquittoLog(TextWriter output, bool verbose)
        {
            _writers.Add(output);
            _types = verbose ? LogTypes.All : LogTypes.Default;
            _timestamp = true;
            ConnectionMessages = true;
        }

        /// <summary>From the settings: log_dest (stdout when none is given), log_type, log_timestamp, connection_messages, -v.</summary>
        public MosquittoLog(BrokerSettings s, TextWriter stdout, TextWriter stderr)
        {
            _types = s.Verbose ? LogTypes.All : (s.LogTypesSet ? s.LogTypes : LogTypes.Default);
            _timestamp = s.LogTimestamp;
            ConnectionMessages = s.ConnectionMessages;
            bool toStdout = s.Verbose || s.LogDest.Count == 0;
            foreach (string dest in s.LogDest)
            {
                if (dest == "stdout")
                {
                    toStdout = true;
                }
                else if (dest == "stderr")
                {
                    _writers.Add(stderr);
                }
                else if (dest == "syslog")
                {
                    _syslog = true;
                }
                else if (dest.StartsWith("file ", StringComparison.Ordinal))
                {
                    // Like Mosquitto, a log file that cannot be opened stops the start (the caller reports it).
                    StreamWriter w = new StreamWriter(new FileStream(dest.Substring(5), FileMode.Append, FileAccess.Write, FileShare.ReadWrite));
                    _writers.Add(w);
                    _owned.Add(w);
                }
            }

            if (toStdout)
            {
                _writers.Insert(0, stdout);
            }

            if (_syslog && OperatingSystem.IsLinux())
            {
                try
                {
                    openlog(Ident, 0x01 /* LOG_PID */, 3 << 3 /* LOG_DAEMON */);
                }
                catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
                {
                    _syslog = false;
                }
            }
        }

        public bool Verbose
        {
            get { return (_types & LogTypes.Debug) != 0; }
        }

        /// <summary>connection_messages: the "New connection", "New client connected" and "disconnected" lines.</summary>
        public bool ConnectionMessages { get; }

        /// <summary>
        /// Whether a line of this type goes anywhere: callers build a line only then (issue 10: the lines nobody
        /// reads, debug and subscribe ones included, were 2.5 KB of garbage per connection, which the GC's young
        /// generation turned into resident memory).
        /// </summary>
        public bool Wants(LogTypes type)
        {
            return (_types & type) != 0 && (_writers.Count > 0 || _syslog);
        }

        /// <summary>Whether <see cref="Connection"/> lines go anywhere.</summary>
        public bool WantsConnections
        {
            get { return ConnectionMessages && Wants(LogTypes.Notice); }
        }

        public void Info(string message)
        {
            Write(LogTypes.Information, message);
        }

        public void Notice(string message)
        {
            Write(LogTypes.Notice, message);
        }

        public void Warning(string message)
        {
            Write(LogTypes.Warning, "Warning: " + message);
        }

        public void Debug(string message)
        {
            Write(LogTypes.Debug, message);
        }

        public void Subscribe(string message)
        {
            Write(LogTypes.Subscribe, message);
        }

        public void Unsubscribe(string message)
        {
            Write(LogTypes.Unsubscribe, message);
        }

        public void Error(string message)
        {
            Write(LogTypes.Error, "Error: " + message);
        }

        /// <summary>A connection line, dropped when connection_messages is false (as in Mosquitto).</summary>
        public void Connection(string message)
        {
            if (ConnectionMessages)
            {
                Write(LogTypes.Notice, message);
            }
        }

        /// <summary>A connection line from a buffer (<see cref="LineText"/>): no string is made unless syslog needs one.</summary>
        public void Connection(ReadOnlySpan<char> message)
        {
            if (ConnectionMessages)
            {
                Write(LogTypes.Notice, message);
            }
        }

        private void Write(LogTypes type, string message)
        {
            Write(type, message.AsSpan());
        }

        private void Write(LogTypes type, ReadOnlySpan<char> message)
        {
            if ((_types & type) == 0)
            {
                return;
            }

            // The reload signal and Ctrl+C are handled on other threads than the broker loop.
            lock (_gate)
            {
                // One span per line, so each line reaches an auto-flushing writer (the console) in one write; built in
                // a reused buffer (issue 10: a timestamped copy of every line was garbage, two lines per connection,
                // which the GC's young generation turned into resident memory).
                // 20 digits, ": " and the message.
                if (22 + message.Length > _line.Length)
                {
                    _line = new char[22 + message.Length + 64];
                }

                int n = 0;
                if (_timestamp)
                {
                    DateTimeOffset.UtcNow.ToUnixTimeSeconds().TryFormat(_line, out n);
                    _line[n++] = ':';
                    _line[n++] = ' ';
                }

                message.CopyTo(new Span<char>(_line, n, message.Length));
                n += message.Length;
                foreach (TextWriter w in _writers)
                {
                    w.WriteLine(new ReadOnlySpan<char>(_line, 0, n));
                    w.Flush();
                }

                if (_syslog)
                {
                    syslog(Priority(type), "%s", message.ToString());
                }
            }
        }

        private static int Priority(LogTypes type)
        {
            switch (type)
            {
                case LogTypes.Error: return 3;
                case LogTypes.Warning: return 4;
                case LogTypes.Notice: return 5;
                case LogTypes.Debug: return 7;
                default: return 6;
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                foreach (TextWriter w in _owned)
                {
                    w.Dispose();
                }

                _owned.Clear();
                _writers.Clear();
            }
        }

        // openlog keeps the pointer, so the name must outlive every syslog call: allocated once, never freed.
        private static readonly IntPtr Ident = Marshal.StringToHGlobalAnsi("device-broker");

        [DllImport("libc")]
        private static extern void openlog(IntPtr ident, int option, int facility);

        [DllImport("libc", CharSet = CharSet.Ansi)]
        private static extern void syslog(int priority, string format, string message);
    }
}
