using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text.RegularExpressions;
using System.Threading;
using System;

namespace Fuzz.Process
{
    /// <summary>
    /// The host broker program as a child process: "dotnet Broker.Host.dll -p 0 [args]" from this program's own
    /// folder (the build copies it there), its port read from its "Opening ipv4 listen socket" line. Every output
    /// line is scanned: a line naming an exception is a finding, and so is the process ending before it is stopped.
    /// </summary>
    public sealed class BrokerProcess : IDisposable
    {
        private static readonly Regex ListenLine = new Regex(@"Opening ipv4 listen socket on \S+ port (\d+)\.");

        private readonly System.Diagnostics.Process _process;
        private readonly object _gate = new object();
        private readonly List<string> _findings = new List<string>();
        private readonly List<string> _tail = new List<string>();
        private readonly ManualResetEventSlim _listening = new ManualResetEventSlim();
        private bool _stopping;
        private long _lines;

        public BrokerProcess(params string[] args)
        {
            string dll = Path.Combine(AppContext.BaseDirectory, "Broker.Host.dll");
            ProcessStartInfo start = new ProcessStartInfo(DotnetHost())
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(dll);
            start.ArgumentList.Add("-p");
            start.ArgumentList.Add("0");
            foreach (string a in args)
            {
                start.ArgumentList.Add(a);
            }

            _process = new System.Diagnostics.Process { StartInfo = start, EnableRaisingEvents = true };
            _process.OutputDataReceived += (_, e) => Line(e.Data);
            _process.ErrorDataReceived += (_, e) => Line(e.Data);
            _process.Start();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            if (!_listening.Wait(TimeSpan.FromSeconds(60)) || Port == 0)
            {
                string tail = Tail;
                Dispose();
                throw new InvalidOperationException("the broker did not start: " + tail);
            }
        }

        /// <summary>The muxer running this process (the test host runs under it), else DOTNET_HOST_PATH, else "dotnet" from PATH.</summary>
        public static string DotnetHost()
        {
            string self = Environment.ProcessPath;
            if (self != null && Path.GetFileNameWithoutExtension(self) == "dotnet")
            {
                return self;
            }
            return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        }

        public int Port { get; private set; }

        /// <summary>True once the process ended without being asked to (a crash: the finding the fuzzer exists for).</summary>
        public bool Died
        {
            get
            {
                lock (_gate)
                {
                    return !_stopping && _process.HasExited;
                }
            }
        }

        public int ExitCode { get { return _process.HasExited ? _process.ExitCode : -1; } }

        public long Lines { get { return Interlocked.Read(ref _lines); } }

        /// <summary>Output lines that mention an exception (each is a bug, even when the broker survived it).</summary>
        public string[] Findings
        {
            get
            {
                lock (_gate)
                {
                    return _findings.ToArray();
                }
            }
        }

        /// <summary>The last output lines, for a report.</summary>
        public string Tail
        {
            get
            {
                lock (_gate)
                {
                    return string.Join("\n", _tail);
                }
            }
        }

        private void Line(string line)
        {
            if (line == null)
            {
                return;
            }

            Interlocked.Increment(ref _lines);
            Match m = ListenLine.Match(line);
            if (m.Success)
            {
                Port = int.Parse(m.Groups[1].Value);
                _listening.Set();
            }

            lock (_gate)
            {
                if (line.Contains("Exception") || line.Contains("Unhandled") || line.Contains("fault while serving"))
                {
                    if (_findings.Count < 100)
                    {
                        _findings.Add(line);
                    }
                }

                _tail.Add(line);
                if (_tail.Count > 40)
                {
                    _tail.RemoveAt(0);
                }
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _stopping = true;
            }

            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(10000);
                }
            }
            catch (InvalidOperationException)
            {
            }

            _process.Dispose();
        }
    }
}
