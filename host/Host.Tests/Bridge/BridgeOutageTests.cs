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
    /// Store and forward: while the upstream is away, QoS 1/2 messages for it wait in our pool (the bridge's local
    /// session is offline); on reconnect they go out in order, QoS 2 exactly once. The upstream keeps its subscriber's
    /// session across its own restart (persistence, stopped with SIGTERM so it saves).
    /// </summary>
    public sealed class BridgeOutageTests
    {
        private const int PerQos = 1000;

        private static string UpstreamPersistence(string dir)
        {
            return "persistence true\npersistence_location " + dir + "/\nmax_queued_messages 100000\n";
        }

        [SkippableFact]
        public async Task After_an_outage_1000_qos1_and_1000_qos2_arrive_in_order_and_qos2_exactly_once()
        {
            string dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "bridge-up-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(dir);
            using BridgeRig rig = new BridgeRig("topic q1/# out 1\ntopic q2/# out 2\nnotifications false\n", UpstreamPersistence(dir), "max_queued_messages 5000\n");
            rig.WaitBridgeUp();
            using CancellationTokenSource time = new CancellationTokenSource(TimeSpan.FromSeconds(300));
            await SubscribeDurably(rig.UpstreamPort, time.Token);

            rig.Upstream.Terminate();
            using MqttNet pub = await MqttNet.Connect(rig.OurPort, "publisher", time.Token);
            for (int i = 0; i < PerQos; i++)
            {
                await pub.Client.PublishStringAsync("q1/seq", i.ToString(), MqttQualityOfServiceLevel.AtLeastOnce, false, time.Token);
                await pub.Client.PublishStringAsync("q2/seq", i.ToString(), MqttQualityOfServiceLevel.ExactlyOnce, false, time.Token);
            }

            rig.StartUpstream();
            rig.WaitBridgeUp(2);
            using MqttNet sub = await MqttNet.Connect(rig.UpstreamPort, "up-durable", time.Token, b => b.WithCleanSession(false));
            await Check(sub, PerQos, time.Token);
        }

        private static async Task SubscribeDurably(int port, CancellationToken token)
        {
            using MqttNet sub = await MqttNet.Connect(port, "up-durable", token, b => b.WithCleanSession(false));
            await sub.Subscribe("q1/#", MqttQualityOfServiceLevel.AtLeastOnce, token);
            await sub.Subscribe("q2/#", MqttQualityOfServiceLevel.ExactlyOnce, token);
            await sub.Client.DisconnectAsync(new MqttClientDisconnectOptions(), token);
        }

        /// <summary>QoS 1: every number, first copies in order (a redelivery may repeat one); QoS 2: every number exactly once, in order.</summary>
        private static async Task Check(MqttNet sub, int count, CancellationToken token)
        {
            List<int> q1 = new List<int>();
            List<int> q2 = new List<int>();
            HashSet<int> seen1 = new HashSet<int>();
            while (seen1.Count < count || q2.Count < count)
            {
                MqttApplicationMessage m = await sub.Next(token);
                int n = int.Parse(m.ConvertPayloadToString());
                if (m.Topic == "q1/seq")
                {
                    if (seen1.Add(n))
                    {
                        q1.Add(n);
                    }
                }
                else
                {
                    q2.Add(n);
                }
            }

            await Task.Delay(500, token);
            while (sub.TryNext(out MqttApplicationMessage late))
            {
                Assert.NotEqual("q2/seq", late.Topic);
            }

            for (int i = 0; i < count; i++)
            {
                Assert.Equal(i, q1[i]);
                Assert.Equal(i, q2[i]);
            }
        }
    }
}
