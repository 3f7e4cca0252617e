using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using System;
using MQTTnet.Protocol;
using MQTTnet;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// RabbitMQ (Debian's rabbitmq-server with its MQTT plugin, a clustered broker) as the upstream of our bridge: out
    /// and in at QoS 0 and 1, every message in order. RabbitMQ does not take the bridge flag (protocol level 0x83),
    /// so this also proves the try_private fallback against a broker that is not Mosquitto.
    /// </summary>
    public sealed class BridgeRabbitMqTests : IClassFixture<RabbitMqNode>
    {
        private const int Count = 50;
        private readonly RabbitMqNode _rabbit;

        public BridgeRabbitMqTests(RabbitMqNode rabbit)
        {
            _rabbit = rabbit;
        }

        [SkippableTheory]
        [InlineData(0)]
        [InlineData(1)]
        public async Task Out_and_in_through_a_rabbitmq_upstream(int qos)
        {
            _rabbit.Start();
            using TempDir dir = new TempDir();
            int ourPort = ConfiguredBrokerProcess.FreePort();
            string conf = dir.Write("ours.conf", "listener " + ourPort + " 127.0.0.1\nallow_anonymous true\n"
                + "connection rmq\naddress 127.0.0.1:" + _rabbit.MqttPort + "\nremote_username guest\nremote_password guest\n"
                + "remote_clientid gw-q" + qos + "\nrestart_timeout 1 2\n"
                + "topic rmq" + qos + "/out/# out " + qos + "\ntopic rmq" + qos + "/in/# in " + qos + "\n");
            using ConfiguredBrokerProcess ours = ConfiguredBrokerProcess.Ours(conf, ourPort);
            BridgeRig.Wait(() => ours.Output.Contains("Bridge rmq: connected to upstream", StringComparison.Ordinal), "the bridge up at RabbitMQ",
                () => ours.Output + "\n--- RabbitMQ:\n" + _rabbit.Output);
            // try_private's fallback: RabbitMQ does not take the bridge flag, the bridge retried without it.
            Assert.Contains("retrying without", ours.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("(bridge flag accepted)", ours.Output, StringComparison.Ordinal);

            using CancellationTokenSource time = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            MqttQualityOfServiceLevel q = (MqttQualityOfServiceLevel)qos;
            using MqttNet up = await MqttNet.Connect(_rabbit.MqttPort, "rmq-sub-" + qos, time.Token, b => b.WithCredentials("guest", "guest"));
            await up.Subscribe("rmq" + qos + "/out/#", MqttQualityOfServiceLevel.AtLeastOnce, time.Token);
            using MqttNet upPub = await MqttNet.Connect(_rabbit.MqttPort, "rmq-pub-" + qos, time.Token, b => b.WithCredentials("guest", "guest"));
            using MqttNet local = await MqttNet.Connect(ourPort, "local-sub", time.Token);
            await local.Subscribe("rmq" + qos + "/in/#", MqttQualityOfServiceLevel.AtLeastOnce, time.Token);
            using MqttNet localPub = await MqttNet.Connect(ourPort, "local-pub", time.Token);

            // Out: ours -> RabbitMQ.
            for (int i = 0; i < Count; i++)
            {
                await localPub.Client.PublishStringAsync("rmq" + qos + "/out/t", i.ToString(), q, false, time.Token);
            }

            for (int i = 0; i < Count; i++)
            {
                MqttApplicationMessage m = await up.Next(time.Token);
                Assert.Equal("rmq" + qos + "/out/t", m.Topic);
                Assert.Equal(i.ToString(), m.ConvertPayloadToString());
                Assert.Equal(q, m.QualityOfServiceLevel);
            }

            // In: RabbitMQ -> ours. The bridge's subscription at RabbitMQ may trail its CONNACK: repeat a probe until one is in.
            while (true)
            {
                await upPub.Client.PublishStringAsync("rmq" + qos + "/in/probe", "p", q, false, time.Token);
                using CancellationTokenSource wait = CancellationTokenSource.CreateLinkedTokenSource(time.Token);
                wait.CancelAfter(TimeSpan.FromMilliseconds(500));
                try
                {
                    await local.Next(wait.Token);
                    break;
                }
                catch (OperationCanceledException) when (!time.IsCancellationRequested)
                {
                }
            }

            for (int i = 0; i < Count; i++)
            {
                await upPub.Client.PublishStringAsync("rmq" + qos + "/in/t", i.ToString(), q, false, time.Token);
            }

            List<string> got = new List<string>();
            while (got.Count < Count)
            {
                MqttApplicationMessage m = await local.Next(time.Token);
                if (m.Topic == "rmq" + qos + "/in/probe")
                {
                    continue;
                }

                Assert.Equal("rmq" + qos + "/in/t", m.Topic);
                Assert.Equal(q, m.QualityOfServiceLevel);
                got.Add(m.ConvertPayloadToString());
            }

            for (int i = 0; i < Count; i++)
            {
                Assert.Equal(i.ToString(), got[i]);
            }
        }
    }
}
