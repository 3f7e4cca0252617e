using System.IO;
using System.Net.Sockets;
using System.Threading;
using System;

namespace Host.Tests
{
    /// <summary>
    /// A private RabbitMQ node with its MQTT plugin (Debian's rabbitmq-server), as docs/shared peers.md says: every
    /// folder under one scratch folder owned by the rabbitmq user, ports chosen here (AMQP, MQTT, distribution and a
    /// private epmd), its own process group; stopped with rabbitmqctl and its epmd with `epmd -kill`, never by name.
    /// Started on first use (so a test without rabbitmq-server is skipped, or fails under MQTT_REQUIRE_PEERS) and
    /// shared by the tests of one class.
    /// </summary>
    public sealed class RabbitMqNode : IDisposable
    {
        private readonly object _gate = new object();
        private TempDir _dir;
        private PeerProcess _server;
        private string _node;
        private int _epmdPort;

        public int MqttPort { get; private set; }

        public string Output { get { return _server != null ? _server.Output : ""; } }

        /// <summary>Starts the node if it is not running yet and waits (up to 180 s: it takes 15-45 s) for its MQTT port.</summary>
        public void Start()
        {
            Peers.Require("rabbitmq-server", "rabbitmq-server");
            lock (_gate)
            {
                if (_server != null)
                {
                    return;
                }

                _dir = new TempDir();
                string d = _dir.Path;
                Directory.CreateDirectory(Path.Combine(d, "mnesia"));
                Directory.CreateDirectory(Path.Combine(d, "log"));
                int amqp = ConfiguredBrokerProcess.FreePort();
                MqttPort = ConfiguredBrokerProcess.FreePort();
                int dist = ConfiguredBrokerProcess.FreePort();
                _epmdPort = ConfiguredBrokerProcess.FreePort();
                _node = "bridge" + Guid.NewGuid().ToString("N").Substring(0, 8) + "@localhost";
                _dir.Write("enabled_plugins", "[rabbitmq_mqtt].\n");
                _dir.Write("rabbitmq.conf", "listeners.tcp.default = " + amqp + "\nmqtt.listeners.tcp.default = " + MqttPort
                    + "\nmqtt.allow_anonymous = true\nloopback_users = none\n");
                // The server drops to the rabbitmq user, which must own its folders.
                PeerProcess.Run("chown", "-R", "rabbitmq:rabbitmq", d).Dispose();
                _server = PeerProcess.StartPath("/usr/bin/env", Env(d, "RABBITMQ_MNESIA_BASE=" + d + "/mnesia", "RABBITMQ_LOG_BASE=" + d + "/log",
                    "RABBITMQ_ENABLED_PLUGINS_FILE=" + d + "/enabled_plugins", "RABBITMQ_CONFIG_FILE=" + d + "/rabbitmq",
                    "RABBITMQ_DIST_PORT=" + dist, "setsid", Peers.Find("rabbitmq-server")));
                DateTime end = DateTime.UtcNow + TimeSpan.FromSeconds(180);
                while (!Answers(MqttPort))
                {
                    if (DateTime.UtcNow > end || _server.HasExited)
                    {
                        throw new InvalidOperationException("RabbitMQ's MQTT port " + MqttPort + " did not answer:\n" + _server.Output);
                    }

                    Thread.Sleep(250);
                }
            }
        }

        private object[] Env(string d, params string[] more)
        {
            object[] all = new object[more.Length + 2];
            all[0] = "RABBITMQ_NODENAME=" + _node;
            all[1] = "ERL_EPMD_PORT=" + _epmdPort;
            Array.Copy(more, 0, all, 2, more.Length);
            return all;
        }

        private static bool Answers(int port)
        {
            try
            {
                using TcpClient c = new TcpClient();
                c.Connect("127.0.0.1", port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                if (_server == null)
                {
                    return;
                }

                using (PeerProcess stop = PeerProcess.StartPath("/usr/bin/env", Env(_dir.Path, Peers.Find("rabbitmqctl"), "-n", _node, "stop")))
                {
                    stop.WaitForExit();
                }

                using (PeerProcess epmd = PeerProcess.StartPath("/usr/bin/env", "epmd", "-port", _epmdPort.ToString(), "-kill"))
                {
                    epmd.WaitForExit();
                }

                if (!_server.HasExited)
                {
                    _server.Kill();
                }

                _server.Dispose();
                _server = null;
                _dir.Dispose();
            }
        }
    }
}
