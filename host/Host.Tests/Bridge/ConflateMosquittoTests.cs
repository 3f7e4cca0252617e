using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using System;
using MQTTnet.Protocol;
using MQTTnet;
using Xunit;
using Xunit.Abstractions;

namespace Host.Tests
{
    /// <summary>
    /// `conflate` (ours, not Mosquitto's) against a real Debian mosquitto upstream started by the test: with the upstream
    /// stopped, only the newest reading per conflated topic reaches it once it is back (and the bridge's log line says
    /// how many were replaced and dropped); through a slow link (TcpRelay with a throttle) it gets fewer readings than were
    /// published, but the last it gets per topic is the newest.
    /// </summary>
    public sealed class ConflateMosquittoTests
    {
        private const int Topics = 5;
        private readonly ITestOutputHelper _out;

        public ConflateMosquittoTests(ITestOutputHelper output)
        {
            _out = output;
        }

        [SkippableFact]
        public async Task Upstream_down_100_readings_per_topic_the_upstream_gets_the_last_of_each_once()
        {
            const int Readings = 100;
            // queue_qos0_messages: the upstream keeps QoS 0 for its durable subscriber, whichever of the two reconnects first.
            using BridgeRig rig = new BridgeRig("topic sensors/# out 0\ntopic other/# out 0\nconflate sensors/+/temp\nnotifications false\n",
                "queue_qos0_messages true\n", persistentUpstream: true);
            using CancellationTokenSource time = new CancellationTokenSource(TimeSpan.FromSeconds(180));
            using MqttNet local = await UpstreamAway(rig, new[] { "sensors/#", "other/#" }, time.Token);
            using (MqttNet pub = await MqttNet.Connect(rig.OurPort, "publisher", time.Token))
            {
                for (int i = 0; i < Readings; i++)
                {
                    for (int t = 0; t < Topics; t++)
                    {
                        await pub.Client.PublishStringAsync("sensors/r" + t + "/temp", i.ToString(), MqttQualityOfServiceLevel.AtMostOnce, false, time.Token);
                    }

                    await pub.Client.PublishStringAsync("other/x", i.ToString(), MqttQualityOfServiceLevel.AtMostOnce, false, time.Token);
                }

                for (int n = 0; n < Readings * (Topics + 1); n++)
                {
                    await local.Next(time.Token);
                }
            }

            List<MqttApplicationMessage> got = await UpstreamBack(rig, Topics, time.Token);
            string[] seen = got.Select(m => m.Topic + "=" + m.ConvertPayloadToString()).OrderBy(s => s, StringComparer.Ordinal).ToArray();
            _out.WriteLine(string.Join(", ", seen));
            Assert.Equal(Enumerable.Range(0, Topics).Select(t => "sensors/r" + t + "/temp=" + (Readings - 1)).ToArray(), seen);
            string line = rig.Ours.Output.Split('\n').Last(l => l.Contains("Bridge up: conflate:", StringComparison.Ordinal));
            _out.WriteLine(line);
            Assert.Contains("conflate: 5 topics held; so far 500 conflated, 495 replaced by a newer one, 0 sent; dropped 0 (table full), 0 (larger than a slot), "
                + "100 QoS 0 not conflated while the upstream was away", line, StringComparison.Ordinal);
        }

        [SkippableFact]
        public async Task Upstream_down_qos1_alarms_among_the_readings_all_arrive_and_the_readings_are_still_conflated()
        {
            const int Readings = 100;
            // The first alarm parks the bridge's local side (its session stores QoS 1 for the absent upstream); the
            // readings after it reach the table through the engine's offline QoS 0 sink instead of being dropped.
            using BridgeRig rig = new BridgeRig("topic sensors/# out 1\nconflate sensors/+/temp\nnotifications false\n",
                "queue_qos0_messages true\n", persistentUpstream: true);
            using CancellationTokenSource time = new CancellationTokenSource(TimeSpan.FromSeconds(180));
            using MqttNet local = await UpstreamAway(rig, new[] { "sensors/#" }, time.Token);
            int sent = 0;
            using (MqttNet pub = await MqttNet.Connect(rig.OurPort, "publisher", time.Token))
            {
                for (int i = 0; i < Readings; i++)
                {
                    for (int t = 0; t < Topics; t++)
                    {
                        await pub.Client.PublishStringAsync("sensors/r" + t + "/temp", i.ToString(), MqttQualityOfServiceLevel.AtMostOnce, false, time.Token);
                        sent++;
                    }

                    if (i % 10 == 5)
                    {
                        await pub.Client.PublishStringAsync("sensors/r0/alarm", i.ToString(), MqttQualityOfServiceLevel.AtLeastOnce, false, time.Token);
                        sent++;
                    }
                }

                for (int n = 0; n < sent; n++)
                {
                    await local.Next(time.Token);
                }
            }

            List<MqttApplicationMessage> got = await UpstreamBack(rig, Topics + Readings / 10, time.Token);
            _out.WriteLine(string.Join(", ", got.Select(m => m.Topic + "=" + m.ConvertPayloadToString())));
            string[] alarms = got.Where(m => m.Topic == "sensors/r0/alarm").Select(m => m.ConvertPayloadToString()).ToArray();
            Assert.Equal(Enumerable.Range(0, Readings / 10).Select(k => (k * 10 + 5).ToString()).ToArray(), alarms);
            string[] temps = got.Where(m => m.Topic != "sensors/r0/alarm").Select(m => m.Topic + "=" + m.ConvertPayloadToString())
                .OrderBy(x => x, StringComparer.Ordinal).ToArray();
            Assert.Equal(Enumerable.Range(0, Topics).Select(t => "sensors/r" + t + "/temp=" + (Readings - 1)).ToArray(), temps);
        }

        /// <summary>
        /// The upstream gets a durable subscriber (QoS 1) on the filters and is stopped once the bridge is up; returns a
        /// local subscriber on the same filters, whose copies prove our broker has routed every reading before the
        /// upstream comes back.
        /// </summary>
        private static async Task<MqttNet> UpstreamAway(BridgeRig rig, string[] filters, CancellationToken token)
        {
            rig.WaitBridgeUp();
            using (MqttNet durable = await MqttNet.Connect(rig.UpstreamPort, "up-durable", token, b => b.WithCleanSession(false)))
            {
                foreach (string f in filters)
                {
                    await durable.Subscribe(f, MqttQualityOfServiceLevel.AtLeastOnce, token);
                }

                await durable.Client.DisconnectAsync(new MqttClientDisconnectOptions(), token);
            }

            rig.Upstream.Terminate();
            BridgeRig.Wait(() => rig.Ours.Output.Contains("Bridge up: next attempt in", StringComparison.Ordinal), "the bridge to see the upstream gone", () => rig.Ours.Output);
            MqttNet local = await MqttNet.Connect(rig.OurPort, "local-sub", token);
            foreach (string f in filters)
            {
                await local.Subscribe(f, MqttQualityOfServiceLevel.AtMostOnce, token);
            }

            return local;
        }

        /// <summary>
        /// The upstream back: the durable subscriber's first `expected` messages, and whatever else comes within a second
        /// (a second copy, an older reading, a non-conflated topic would come right behind).
        /// </summary>
        private static async Task<List<MqttApplicationMessage>> UpstreamBack(BridgeRig rig, int expected, CancellationToken token)
        {
            rig.StartUpstream();
            rig.WaitBridgeUp(2);
            using MqttNet sub = await MqttNet.Connect(rig.UpstreamPort, "up-durable", token, b => b.WithCleanSession(false));
            List<MqttApplicationMessage> got = new List<MqttApplicationMessage>();
            while (got.Count < expected)
            {
                got.Add(await sub.Next(token));
            }

            await Task.Delay(1000, token);
            while (sub.TryNext(out MqttApplicationMessage late))
            {
                got.Add(late);
            }

            return got;
        }

        [SkippableFact]
        public async Task Slow_uplink_fewer_readings_arrive_and_the_last_per_topic_is_the_newest()
        {
            const int Readings = 1000;
            int upstreamPort = ConfiguredBrokerProcess.FreePort();
            // About 3 KB/s towards the upstream while throttled: far less than the publisher offers.
            using TcpRelay proxy = new TcpRelay(upstreamPort, 64, 20);
            using BridgeRig rig = new BridgeRig("topic sensors/# out 0 \"\" site/\nconflate sensors/+/temp\nnotifications false\n",
                upstreamPort: upstreamPort, bridgeToPort: proxy.Port);
            rig.WaitBridgeUp();
            using CancellationTokenSource time = new CancellationTokenSource(TimeSpan.FromSeconds(180));
            using MqttNet sub = await MqttNet.Connect(upstreamPort, "up-sub", time.Token);
            await sub.Subscribe("site/sensors/#", MqttQualityOfServiceLevel.AtMostOnce, time.Token);
            using (MqttNet pub = await MqttNet.Connect(rig.OurPort, "publisher", time.Token))
            {
                for (int i = 0; i < Readings; i++)
                {
                    for (int t = 0; t < Topics; t++)
                    {
                        await pub.Client.PublishStringAsync("sensors/r" + t + "/temp", i.ToString(), MqttQualityOfServiceLevel.AtMostOnce, false, time.Token);
                    }
                }

                // A PINGREQ answered means our broker has read every PUBLISH before it.
                await pub.Client.PingAsync(time.Token);
            }

            proxy.Throttled = false;
            Dictionary<string, List<int>> per = new Dictionary<string, List<int>>();
            for (int t = 0; t < Topics; t++)
            {
                per["site/sensors/r" + t + "/temp"] = new List<int>();
            }

            while (per.Values.Any(l => l.Count == 0 || l[l.Count - 1] != Readings - 1))
            {
                MqttApplicationMessage m = await sub.Next(time.Token);
                per[m.Topic].Add(int.Parse(m.ConvertPayloadToString()));
            }

            await Task.Delay(1000, time.Token);
            while (sub.TryNext(out MqttApplicationMessage late))
            {
                per[late.Topic].Add(int.Parse(late.ConvertPayloadToString()));
            }

            int total = per.Values.Sum(l => l.Count);
            _out.WriteLine("published " + (Readings * Topics) + ", the upstream got " + total + ": " + string.Join(", ", per.Select(p => p.Key + " " + p.Value.Count)));
            Assert.True(total < Readings * Topics, "nothing was conflated: " + total);
            foreach (KeyValuePair<string, List<int>> p in per)
            {
                // The last one is the newest, and no reading came after a newer one of its topic.
                Assert.Equal(Readings - 1, p.Value[p.Value.Count - 1]);
                Assert.Equal(p.Value.OrderBy(x => x).ToList(), p.Value);
            }
        }
    }
}
