using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Net;
using System.Runtime.InteropServices;
using System.Threading;
using System;

namespace Host.Tests
{
    /// <summary>
    /// A broker as its own process, started from a config file: Debian's mosquitto, or ours (Broker.Host.dll, copied
    /// next to the tests), so a test can send it real signals and read its log.
    /// </summary>
    public sealed class ConfiguredBrokerProcess : IDisposable
    {
        private readonly PeerProcess _process;

        private ConfiguredBrokerProcess(PeerProcess process)
        {
            _process = process;
        }

        public string Output { get { return _process.Output; } }

        public bool HasExited { get { return _process.HasExited; } }

        public int Pid { get { return _process.Id; } }

        /// <summary>Debian's mosquitto with this config; waits until every port listens.</summary>
        public static ConfiguredBrokerProcess Mosquitto(string conf, params int[] ports)
        {
            return Started(PeerProcess.Start("mosquitto", "-c", conf), ports);
        }

        /// <summary>Our broker program with this config; waits until every port listens.</summary>
        public static ConfiguredBrokerProcess Ours(string conf, params int[] ports)
        {
            string dll = Path.Combine(AppContext.BaseDirectory, "Broker.Host.dll");
            string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
            return Started(PeerProcess.StartPath(dotnet, dll, "-c", conf), ports);
        }

        private static ConfiguredBrokerProcess Started(PeerProcess p, int[] ports)
        {
            ConfiguredBrokerProcess b = new ConfiguredBrokerProcess(p);
            foreach (int port in ports)
            {
                if (!WaitListening(p, port))
                {
                    string output = p.Output;
                    b.Dispose();
                    throw new InvalidOperationException("the broker did not listen on " + port + ":\n" + output);
                }
            }

            return b;
        }

        public string WaitForLine(string text)
        {
            return _process.WaitForLine(text);
        }

        /// <summary>kill -HUP: Mosquitto's "reload the password and ACL files".</summary>
        public void Hangup()
        {
            Assert0(kill(_process.Id, 1));
        }

        /// <summary>kill -TERM and wait: an orderly stop (Mosquitto writes its persistence file).</summary>
        public void Terminate()
        {
            Assert0(kill(_process.Id, 15));
            _process.WaitForExit();
        }

        /// <summary>kill -KILL: the process vanishes without a word (no DISCONNECT, no saved state).</summary>
        public void Kill()
        {
            _process.Kill();
        }

        private static void Assert0(int rc)
        {
            if (rc != 0)
            {
                throw new InvalidOperationException("kill failed: " + Marshal.GetLastPInvokeError());
            }
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int kill(int pid, int signal);

        public static int FreePort()
        {
            TcpListener l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            int port = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return port;
        }

        private static bool WaitListening(PeerProcess p, int port)
        {
            Stopwatch w = Stopwatch.StartNew();
            while (w.Elapsed < TimeSpan.FromSeconds(30) && !p.HasExited)
            {
                try
                {
                    using TcpClient c = new TcpClient();
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

        public void Dispose()
        {
            _process.Kill();
            _process.Dispose();
        }
    }
}
