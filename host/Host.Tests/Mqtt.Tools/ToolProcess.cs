using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using System;

namespace Host.Tests
{
    /// <summary>
    /// Our `pub`/`sub` (Mqtt.Tools.dll, copied next to the tests by the project reference) or a Debian peer,
    /// run as a real child process so exit codes, stdout bytes and kills are the real thing. Every wait is
    /// bounded; Dispose kills whatever still runs.
    /// </summary>
    public sealed class ToolProcess : IDisposable
    {
        public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

        private readonly Process _process;
        private readonly MemoryStream _stdout = new MemoryStream();
        private readonly MemoryStream _stderr = new MemoryStream();
        private readonly Thread _outReader;
        private readonly Thread _errReader;

        private ToolProcess(string program, IEnumerable<string> args, byte[] stdin)
        {
            var psi = new ProcessStartInfo(program)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            foreach (string a in args)
            {
                psi.ArgumentList.Add(a);
            }

            _process = Process.Start(psi);
            _outReader = Pump(_process.StandardOutput.BaseStream, _stdout);
            _errReader = Pump(_process.StandardError.BaseStream, _stderr);
            if (stdin != null)
            {
                _process.StandardInput.BaseStream.Write(stdin, 0, stdin.Length);
            }

            _process.StandardInput.Close();
        }

        /// <summary>Starts our tool: "pub ..." or "sub ...".</summary>
        public static ToolProcess Ours(params string[] args)
        {
            return OursWithInput(null, args);
        }

        public static ToolProcess OursWithInput(byte[] stdin, params string[] args)
        {
            string dll = Path.Combine(AppContext.BaseDirectory, "Mqtt.Tools.dll");
            string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
            var all = new List<string> { dll };
            all.AddRange(args);
            return new ToolProcess(dotnet, all, stdin);
        }

        /// <summary>Starts a Debian program (already found by Peers.Require).</summary>
        public static ToolProcess Peer(string path, params string[] args)
        {
            return new ToolProcess(path, args, null);
        }

        public int ExitCode { get { return _process.ExitCode; } }

        public bool HasExited { get { return _process.HasExited; } }

        public int Id { get { return _process.Id; } }

        public byte[] StdoutBytes
        {
            get
            {
                lock (_stdout)
                {
                    return _stdout.ToArray();
                }
            }
        }

        public string Stdout { get { return Encoding.UTF8.GetString(StdoutBytes); } }

        public string Stderr
        {
            get
            {
                lock (_stderr)
                {
                    return Encoding.UTF8.GetString(_stderr.ToArray());
                }
            }
        }

        /// <summary>Stdout lines that are not -d log lines: what the command printed for messages.</summary>
        public List<string> MessageLines()
        {
            var lines = new List<string>();
            foreach (string line in Stdout.Split('\n'))
            {
                if (line.Length > 0 && !line.StartsWith("Client ") && !line.StartsWith("Subscribed (mid:"))
                {
                    lines.Add(line);
                }
            }

            return lines;
        }

        /// <summary>Waits until stdout contains text; fails the test (after killing) when it never does.</summary>
        public void WaitForStdout(string text)
        {
            Stopwatch w = Stopwatch.StartNew();
            while (!Stdout.Contains(text))
            {
                if (w.Elapsed > Patience || _process.HasExited)
                {
                    // Let the reader threads drain what the process wrote before it exited.
                    Thread.Sleep(200);
                    if (Stdout.Contains(text))
                    {
                        return;
                    }

                    Kill();
                    throw new Xunit.Sdk.XunitException("never printed \"" + text + "\"; stdout: " + Stdout + " stderr: " + Stderr);
                }

                Thread.Sleep(20);
            }
        }

        /// <summary>Waits for the exit (killing the process if it takes longer than Patience) and returns the code.</summary>
        public int WaitForExit()
        {
            if (!_process.WaitForExit((int)Patience.TotalMilliseconds))
            {
                Kill();
                throw new Xunit.Sdk.XunitException("did not exit in time; stdout: " + Stdout + " stderr: " + Stderr);
            }

            _outReader.Join(Patience);
            _errReader.Join(Patience);
            return _process.ExitCode;
        }

        /// <summary>SIGKILL: the process gets no chance to send DISCONNECT, so the broker must publish its will.</summary>
        public void Kill()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(true);
                    _process.WaitForExit((int)Patience.TotalMilliseconds);
                }
            }
            catch (InvalidOperationException)
            {
            }
        }

        public void Dispose()
        {
            Kill();
            _process.Dispose();
        }

        private static Thread Pump(Stream from, MemoryStream to)
        {
            var t = new Thread(() =>
            {
                byte[] buf = new byte[4096];
                int n;
                try
                {
                    while ((n = from.Read(buf, 0, buf.Length)) > 0)
                    {
                        lock (to)
                        {
                            to.Write(buf, 0, n);
                        }
                    }
                }
                catch (IOException)
                {
                }
            })
            { IsBackground = true };
            t.Start();
            return t;
        }
    }
}
