using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using System;
using Broker.Host;
using Device.Broker;
using Device.Net;
using MQTTnet;
using MQTTnet.Protocol;
using Xunit;
using Xunit.Abstractions;

namespace Host.Tests
{
    /// <summary>
    /// How the bridge's link moves bytes over a real socket to a real upstream (Debian's mosquitto), in process: our
    /// engine behind the PC's transport (epoll), a bridge with the PC's connector, an MQTTnet publisher here and an
    /// MQTTnet subscriber there. What is counted is what a forwarded message costs in system calls and wake-ups,
    /// never how long it took.
    /// </summary>
    public sealed class BridgeLinkTests
    {
        private const int Messages = 500;
        private readonly ITestOutputHelper _out;

        public BridgeLinkTests(ITestOutputHelper output)
        {
            _out = output;
        }

        /// <summary>
        /// The upstream socket is in the idle wait's set (a slot past the connections'), so an ack ends the wait: before,
        /// only the listeners and the clients were, and each window of 20 waited out the 2 ms timer (~10k QoS 1 msg/s).
        /// And one read takes every ack the socket holds: before, the link read up to the end of one packet at a time
        /// (2 bytes of a PUBACK, then the other 2), two reads per ack.
        /// </summary>
        [SkippableFact]
        public async Task The_upstream_socket_wakes_the_idle_loop_and_one_read_takes_whole_acks()
        {
            Peers.Require("mosquitto");
            using TempDir dir = new TempDir();
            int upPort = ConfiguredBrokerProcess.FreePort();
            using ConfiguredBrokerProcess upstream = ConfiguredBrokerProcess.Mosquitto(
                dir.Write("up.conf", "listener " + upPort + " 127.0.0.1\nallow_anonymous true\n"), upPort);

            BrokerOptions options = LoopBroker.Small(8, 2);
            BrokerEngine engine = new BrokerEngine(options);
            RecordingReadiness platform = new RecordingReadiness((IReadinessPlatform)BrokerHost.Platform(), options.Connections);
            SocketTransport transport = new SocketTransport(engine, options.Connections, null, () => Environment.TickCount64, platform);
            BridgeOptions b = new BridgeOptions { Name = "up", Notifications = false, InflightWindow = 20, RestartBaseSeconds = 1, RestartCapSeconds = 1 };
            b.AddAddress("127.0.0.1", upPort);
            b.AddTopic(new BridgeTopic("t/#", BridgeDirection.Out, 1, "", "up/"));
            Bridge bridge = new Bridge(b, engine);
            CountingConnector connector = new CountingConnector(new HostConnector());
            BridgeLink link = new BridgeLink(bridge, connector);
            bridge.Start(Environment.TickCount64);
            transport.AddBridge(link);
            transport.Start(IPAddress.Loopback, 0, 16);
            Thread loop = new Thread(transport.Run) { IsBackground = true, Name = "bridged loop" };
            loop.Start();
            try
            {
                using CancellationTokenSource time = new CancellationTokenSource(TimeSpan.FromSeconds(120));
                Assert.True(LoopBroker.Eventually(() => bridge.RemoteUp, TimeSpan.FromSeconds(30)), "the bridge connects");
                using MqttNet sub = await MqttNet.Connect(upPort, "up-sub", time.Token);
                await sub.Subscribe("up/#", MqttQualityOfServiceLevel.AtLeastOnce, time.Token);
                long readsBefore = connector.Reads, bytesBefore = connector.ReadBytes, sendsBefore = connector.Sends;
                using (MqttNet pub = await MqttNet.Connect(transport.Port, "pub", time.Token))
                {
                    for (int i = 0; i < Messages; i++)
                    {
                        await pub.Client.PublishStringAsync("t/seq", i.ToString(), MqttQualityOfServiceLevel.AtLeastOnce, false, time.Token);
                    }
                }

                List<int> got = new List<int>();
                while (got.Count < Messages)
                {
                    MqttApplicationMessage m = await sub.Next(time.Token);
                    got.Add(int.Parse(m.ConvertPayloadToString()));
                }

                // Every PUBACK is in: nothing of the bridge's is in flight any more.
                Assert.True(LoopBroker.Eventually(() => bridge.Remote.InflightCount == 0, TimeSpan.FromSeconds(30)), "every ack read");
                long reads = connector.Reads - readsBefore, bytes = connector.ReadBytes - bytesBefore, sends = connector.Sends - sendsBefore;
                _out.WriteLine(Messages + " QoS 1 messages: " + reads + " reads of " + bytes + " B (" + (bytes / 4) + " PUBACKs), " + sends
                    + " sends; the bridge slot registered " + platform.BridgeOpened + " time(s), reported ready " + platform.BridgeReported + " times");

                for (int i = 0; i < Messages; i++)
                {
                    Assert.Equal(i, got[i]);
                }

                Assert.Equal(Messages, bridge.Forwarded);
                Assert.Equal(0, bridge.Dropped);
                Assert.Equal(4L * Messages, bytes);
                // Whole acks per read (mosquitto writes each 4-byte PUBACK in one piece): at most one read per ack.
                Assert.True(reads <= Messages, reads + " reads for " + Messages + " PUBACKs");
                Assert.Equal(1, platform.BridgeOpened);
                Assert.True(platform.BridgeReported > 0, "the kernel's wait never reported the upstream socket");
            }
            finally
            {
                transport.Stop();
                loop.Join(TimeSpan.FromSeconds(10));
            }
        }
    }
}
