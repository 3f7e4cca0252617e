using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Net;
using System.Threading;
using System;

namespace Host.Tests
{
    /// <summary>
    /// Debian's mosquitto on a free loopback port with a generated configuration: anonymous, or with a
    /// password file made by mosquitto_passwd. The peer we did not write, to prove our client side against.
    /// </summary>
    public sealed class MosquittoBroker : IDisposable
    {
        private readonly Process _process;
        private readonly string _dir;

        private MosquittoBroker(Process process, string dir, int port)
        {
            _process = process;
            _dir = dir;
            Port = port;
        }

        public int Port { get; }

        public string PortText { get { return Port.ToString(); } }

        /// <summary>Starts mosquitto; with users (pairs "name", "password", ...) anonymous clients are refused.</summary>
        public static MosquittoBroker Start(params string[] users)
        {
            string exe = Peers.Require("mosquitto");
            string dir = Path.Combine(Path.GetTempPath(), "tools-mosquitto-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            string passwordLine = "allow_anonymous true\n";
            if (users.Length > 0)
            {
                string passwd = Peers.Require("mosquitto_passwd");
                string file = Path.Combine(dir, "passwd");
                File.WriteAllText(file, "");
                for (int i = 0; i + 1 < users.Length; i += 2)
                {
                    using var p = ToolProcess.Peer(passwd, "-b", file, users[i], users[i + 1]);
                    if (p.WaitForExit() != 0)
                    {
                        throw new InvalidOperationException("mosquitto_passwd failed: " + p.Stderr);
                    }
                }

                passwordLine = "allow_anonymous false\npassword_file " + file + "\n";
            }

            // Run as root, mosquitto drops to its own user: everything it reads must be world-readable.
            MakeReadable(dir);
            for (int attempt = 0; ; attempt++)
            {
                int port = FreePort();
                string conf = Path.Combine(dir, "mosquitto.conf");
                File.WriteAllText(conf, "listener " + port + " 127.0.0.1\n" + passwordLine + "persistence false\n");
                MakeReadable(dir);
                var psi = new ProcessStartInfo(exe) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
                psi.ArgumentList.Add("-c");
                psi.ArgumentList.Add(conf);
                Process p = Process.Start(psi);
                p.ErrorDataReceived += (s, e) => { };
                p.OutputDataReceived += (s, e) => { };
                p.BeginErrorReadLine();
                p.BeginOutputReadLine();
                if (WaitListening(p, port))
                {
                    return new MosquittoBroker(p, dir, port);
                }

                Stop(p);
                // The port may have been taken between finding it and mosquitto binding it: try another.
                if (attempt == 2)
                {
                    Directory.Delete(dir, true);
                    throw new InvalidOperationException("mosquitto did not start listening");
                }
            }
        }

        public void Dispose()
        {
            Stop(_process);
            try
            {
                Directory.Delete(_dir, true);
            }
            catch (IOException)
            {
            }
        }

        private static void Stop(Process p)
        {
            try
            {
                if (!p.HasExited)
                {
                    p.Kill();
                    p.WaitForExit(10000);
                }
            }
            catch (InvalidOperationException)
            {
            }

            p.Dispose();
        }

        private static bool WaitListening(Process p, int port)
        {
            Stopwatch w = Stopwatch.StartNew();
            while (w.Elapsed < TimeSpan.FromSeconds(10) && !p.HasExited)
            {
                try
                {
                    using var c = new TcpClient();
                    c.Connect(IPAddress.Loopback, port);
                    return true;
                }
                catch (SocketException)
                {
                    Thread.Sleep(50);
                }
            }

            return false;
        }

        private static int FreePort()
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            int port = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return port;
        }

        private static void MakeReadable(string dir)
        {
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            foreach (string f in Directory.GetFiles(dir))
            {
                File.SetUnixFileMode(f, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }
        }
    }
}
