using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using System;
using MQTTnet.Protocol;
using MQTTnet;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// Our bridge (host/Broker.Host with a `connection` block) against Debian's mosquitto as the upstream: the
    /// directions with prefix remapping, wildcards, each QoS, retained messages, the notification topic and its will.
    /// </summary>
    public sealed class BridgeMosquittoTests
    {
        private const string Topics =
            "topic sensors/# out {0} local/ site/\n"
            + "topic cmd/+/set in {0} dev/ up/\n"
            + "topic shared/# both {0}\n";

        [SkippableTheory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(2)]
        public async Task Out_in_and_both_remap_prefixes_at_each_qos(int qos)
        {
            using BridgeRig rig = new BridgeRig(string.Format(Topics, qos));
            rig.WaitBridgeUp();
            using CancellationTokenSource time = MqttNet.Bound();
            MqttQualityOfServiceLevel q = (MqttQualityOfServiceLevel)qos;
            using MqttNet up = await MqttNet.Connect(rig.UpstreamPort, "up-sub", time.Token);
            await up.Subscribe("#", MqttQualityOfServiceLevel.ExactlyOnce, time.Token);
            using MqttNet local = await MqttNet.Connect(rig.OurPort, "local-sub", time.Token);
            await local.Subscribe("#", MqttQualityOfServiceLevel.ExactlyOnce, time.Token);
            using MqttNet localPub = await MqttNet.Connect(rig.OurPort, "local-pub", time.Token);
            using MqttNet upPub = await MqttNet.Connect(rig.UpstreamPort, "up-pub", time.Token);
            // The bridge's remote subscription may still be on its way right after CONNACK.
            await Task.Delay(300, time.Token);

            await localPub.Client.PublishStringAsync("local/sensors/room1/temp", "21.5", q, false, time.Token);
            await localPub.Client.PublishStringAsync("other/not-bridged", "x", q, false, time.Token);
            await upPub.Client.PublishStringAsync("up/cmd/valve/set", "open", q, false, time.Token);
            await upPub.Client.PublishStringAsync("up/cmd/valve/get", "not-bridged", q, false, time.Token);
            await localPub.Client.PublishStringAsync("shared/from-local", "L", q, false, time.Token);
            await upPub.Client.PublishStringAsync("shared/from-up", "U", q, false, time.Token);
            await localPub.Client.PublishStringAsync("marker/local", "end", MqttQualityOfServiceLevel.AtLeastOnce, false, time.Token);
            await upPub.Client.PublishStringAsync("marker/up", "end", MqttQualityOfServiceLevel.AtLeastOnce, false, time.Token);
            await Task.Delay(500, time.Token);

            List<string> atUp = await Until(up, "marker/up", time.Token);
            List<string> atLocal = await Until(local, "marker/local", time.Token);

            // Upstream: its own messages plus what went out, remapped; nothing twice.
            Assert.Contains("site/sensors/room1/temp 21.5 q" + qos, atUp);
            Assert.DoesNotContain(atUp, m => m.StartsWith("local/", StringComparison.Ordinal) || m.StartsWith("other/", StringComparison.Ordinal));
            Assert.Single(atUp, m => m.StartsWith("shared/from-local ", StringComparison.Ordinal));
            Assert.Single(atUp, m => m.StartsWith("shared/from-up ", StringComparison.Ordinal));
            // Local: what came in, remapped, at the topic line's QoS; the in-only wildcard takes only .../set.
            Assert.Contains("dev/cmd/valve/set open q" + qos, atLocal);
            Assert.DoesNotContain(atLocal, m => m.StartsWith("dev/cmd/valve/get", StringComparison.Ordinal));
            Assert.Single(atLocal, m => m.StartsWith("shared/from-up ", StringComparison.Ordinal));
            Assert.Single(atLocal, m => m.StartsWith("shared/from-local ", StringComparison.Ordinal));
        }

        [SkippableFact]
        public async Task A_retained_message_is_forwarded_with_its_retain_flag()
        {
            using BridgeRig rig = new BridgeRig("topic retained/# out 1\n");
            rig.WaitBridgeUp();
            using CancellationTokenSource time = MqttNet.Bound();
            using (MqttNet pub = await MqttNet.Connect(rig.OurPort, "retainer", time.Token))
            {
                await pub.Client.PublishStringAsync("retained/hall", "19.0", MqttQualityOfServiceLevel.AtLeastOnce, true, time.Token);
                await pub.Client.PublishStringAsync("retained/live", "plain", MqttQualityOfServiceLevel.AtLeastOnce, false, time.Token);
            }

            await Task.Delay(500, time.Token);
            // A later subscriber upstream gets the retained copy the upstream stored, so the flag crossed the bridge.
            using MqttNet late = await MqttNet.Connect(rig.UpstreamPort, "late", time.Token);
            await late.Subscribe("retained/#", MqttQualityOfServiceLevel.AtLeastOnce, time.Token);
            MqttApplicationMessage m = await late.Next(time.Token);
            Assert.Equal("retained/hall", m.Topic);
            Assert.True(m.Retain);
            Assert.Equal("19.0", m.ConvertPayloadToString());
        }

        [SkippableFact]
        public async Task The_notification_topic_says_online_and_the_will_says_offline_when_our_broker_is_killed()
        {
            using BridgeRig rig = new BridgeRig("topic a/# out 0\n");
            rig.WaitBridgeUp();
            using CancellationTokenSource time = MqttNet.Bound();
            using MqttNet watcher = await MqttNet.Connect(rig.UpstreamPort, "watcher", time.Token);
            await watcher.Subscribe("$SYS/broker/connection/up/state", MqttQualityOfServiceLevel.AtLeastOnce, time.Token);
            MqttApplicationMessage online = await watcher.Next(time.Token);
            Assert.Equal("1", online.ConvertPayloadToString());
            Assert.True(online.Retain);

            rig.Ours.Kill();

            MqttApplicationMessage offline = await watcher.Next(time.Token);
            Assert.Equal("$SYS/broker/connection/up/state", offline.Topic);
            Assert.Equal("0", offline.ConvertPayloadToString());
        }

        [SkippableFact]
        public async Task A_custom_notification_topic_is_used()
        {
            using BridgeRig rig = new BridgeRig("topic a/# out 0\nnotification_topic site/gw1/bridge\n");
            rig.WaitBridgeUp();
            using CancellationTokenSource time = MqttNet.Bound();
            using MqttNet watcher = await MqttNet.Connect(rig.UpstreamPort, "watcher", time.Token);
            await watcher.Subscribe("site/gw1/bridge", MqttQualityOfServiceLevel.AtLeastOnce, time.Token);
            MqttApplicationMessage online = await watcher.Next(time.Token);
            Assert.Equal("1", online.ConvertPayloadToString());
        }

        /// <summary>Messages as "topic payload qN" until (and without) the marker topic.</summary>
        private static async Task<List<string>> Until(MqttNet c, string marker, CancellationToken token)
        {
            List<string> got = new List<string>();
            while (true)
            {
                MqttApplicationMessage m = await c.Next(token);
                if (m.Topic == marker)
                {
                    // Whatever raced the marker (the other side's messages) is already in by now; drain what is there.
                    await Task.Delay(200, token);
                    while (c.TryNext(out MqttApplicationMessage more))
                    {
                        got.Add(more.Topic + " " + more.ConvertPayloadToString() + " q" + (int)more.QualityOfServiceLevel);
                    }

                    return got;
                }

                got.Add(m.Topic + " " + m.ConvertPayloadToString() + " q" + (int)m.QualityOfServiceLevel);
            }
        }
    }
}
