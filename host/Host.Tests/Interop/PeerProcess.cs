using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System;
using Xunit.Sdk;

namespace Host.Tests
{
    /// <summary>
    /// A Debian peer program (mosquitto_sub, mosquitto_pub, mosquitto) run as a child process. Its output is
    /// collected line by line so a test can wait for a line, every wait bounded; disposing kills what still runs.
    /// </summary>
    public sealed class PeerProcess : IDisposable
    {
        public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

        private const string StdBuf = "/usr/bin/stdbuf";

        private readonly Process _process;
        private readonly BlockingCollection<string> _lines = new BlockingCollection<string>();
        private readonly List<string> _seen = new List<string>();
        private readonly string _name;

        private PeerProcess(string program, IEnumerable<string> args)
        {
            _name = System.IO.Path.GetFileName(program) + " " + string.Join(" ", args);
            // The peers' C stdio buffers whole blocks when writing to a pipe: line buffering lets a test see
            // "Subscribed" the moment it is printed, not when the program exits.
            bool lineBuffered = System.IO.File.Exists(StdBuf);
            ProcessStartInfo psi = new ProcessStartInfo(lineBuffered ? StdBuf : program)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            if (lineBuffered)
            {
                psi.ArgumentList.Add("-oL");
                psi.ArgumentList.Add("-eL");
                psi.ArgumentList.Add(program);
            }

            foreach (string a in args)
            {
                psi.ArgumentList.Add(a);
            }

            _process = new Process { StartInfo = psi };
            _process.OutputDataReceived += (_, e) => Add(e.Data);
            _process.ErrorDataReceived += (_, e) => Add(e.Data);
            _process.Start();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        /// <summary>Starts a peer; the test is skipped (or fails in CI) when the program is not installed.</summary>
        public static PeerProcess Start(string program, params object[] args)
        {
            string path = Peers.Require(program);
            return new PeerProcess(path, args.Select(a => a.ToString()));
        }

        /// <summary>Runs a peer to its end and returns its exit code; output is in <see cref="Output"/>.</summary>
        public static PeerProcess Run(string program, params object[] args)
        {
            PeerProcess p = Start(program, args);
            p.WaitForExit();
            return p;
        }

        /// <summary>Starts a program by path (our own, e.g. dotnet with Broker.Host.dll).</summary>
        public static PeerProcess StartPath(string path, params object[] args)
        {
            return new PeerProcess(path, args.Select(a => a.ToString()));
        }

        public int ExitCode { get { return _process.ExitCode; } }

        public bool HasExited { get { return _process.HasExited; } }

        public int Id { get { return _process.Id; } }

        /// <summary>Every line printed so far (stdout and stderr interleaved).</summary>
        public string Output
        {
            get
            {
                Drain();
                lock (_seen)
                {
                    return string.Join("\n", _seen);
                }
            }
        }

        /// <summary>Returns the first line (from here on) that contains <paramref name="text"/>; fails the test after the patience.</summary>
        public string WaitForLine(string text)
        {
            DateTime end = DateTime.UtcNow + Patience;
            while (true)
            {
                TimeSpan left = end - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !_lines.TryTake(out string line, left))
                {
                    throw new XunitException("'" + _name + "' printed no line with '" + text + "' in " + Patience + ". Output:\n" + Output);
                }

                lock (_seen)
                {
                    _seen.Add(line);
                }

                if (line.Contains(text))
                {
                    return line;
                }
            }
        }

        public void WaitForExit()
        {
            if (!_process.WaitForExit((int)Patience.TotalMilliseconds))
            {
                Kill();
                throw new XunitException("'" + _name + "' did not finish in " + Patience + ". Output:\n" + Output);
            }
            // The parameterless wait also waits for the output readers to reach the end.
            _process.WaitForExit();
        }

        /// <summary>SIGKILL: the client dies without DISCONNECT, as when its board loses power.</summary>
        public void Kill()
        {
            try
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit((int)Patience.TotalMilliseconds);
            }
            catch (InvalidOperationException)
            {
            }
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                Kill();
            }

            _process.Dispose();
        }

        private void Add(string line)
        {
            if (line != null)
            {
                _lines.Add(line);
            }
        }

        private void Drain()
        {
            while (_lines.TryTake(out string line))
            {
                lock (_seen)
                {
                    _seen.Add(line);
                }
            }
        }
    }
}
