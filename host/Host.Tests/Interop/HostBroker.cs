using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System;
using Broker.Host;

namespace Host.Tests
{
    /// <summary>
    /// The host broker program itself (Program.Run, exactly what "dotnet run --project host/Broker.Host" runs),
    /// in-process on a free loopback port, with its log captured so tests can read the Mosquitto-style lines.
    /// </summary>
    public class HostBroker : IDisposable
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly LogWriter _log = new LogWriter();
        private readonly Thread _thread;
        private readonly TempDir _dir = new TempDir();

        public HostBroker()
            : this(null, null)
        {
        }

        /// <param name="configLines">A config file to start with, or null for none.</param>
        /// <param name="prepare">Writes further files (passwords, ACL) into the config's folder first.</param>
        protected HostBroker(string configLines, Action<string> prepare)
        {
            prepare?.Invoke(_dir.Path);
            string[] args = { "-p", "0", "-v" };
            if (configLines != null)
            {
                args = args.Concat(new[] { "-c", _dir.Write("broker.conf", configLines) }).ToArray();
            }

            int port = 0;
            using ManualResetEventSlim ready = new ManualResetEventSlim();
            _thread = new Thread(() =>
            {
                ExitCode = Program.Run(args, _log, _log, _stop.Token, p =>
                {
                    port = p;
                    ready.Set();
                });
                ready.Set();
            })
            { IsBackground = true, Name = "host broker" };
            _thread.Start();
            if (!ready.Wait(TimeSpan.FromSeconds(30)) || port == 0)
            {
                throw new InvalidOperationException("the broker did not start:\n" + Log);
            }

            Port = port;
        }

        public int Port { get; }

        public int ExitCode { get; private set; } = -1;

        public string Folder { get { return _dir.Path; } }

        public string Log { get { return _log.Text; } }

        /// <summary>Waits for a log line containing <paramref name="text"/>; false after the timeout.</summary>
        public bool WaitForLog(string text, TimeSpan timeout)
        {
            DateTime end = DateTime.UtcNow + timeout;
            while (!Log.Contains(text))
            {
                if (DateTime.UtcNow > end)
                {
                    return false;
                }

                Thread.Sleep(10);
            }

            return true;
        }

        public void Dispose()
        {
            _stop.Cancel();
            _thread.Join(TimeSpan.FromSeconds(10));
            _dir.Dispose();
        }

        /// <summary>A writer both the broker's thread and the tests use at once.</summary>
        private sealed class LogWriter : TextWriter
        {
            private readonly StringBuilder _text = new StringBuilder();

            public override Encoding Encoding { get { return Encoding.UTF8; } }

            public string Text
            {
                get
                {
                    lock (_text)
                    {
                        return _text.ToString();
                    }
                }
            }

            public override void Write(char value)
            {
                lock (_text)
                {
                    _text.Append(value);
                }
            }

            public override void Write(string value)
            {
                lock (_text)
                {
                    _text.Append(value);
                }
            }
        }
    }
}
