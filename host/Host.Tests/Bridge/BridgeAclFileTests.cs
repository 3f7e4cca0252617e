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
    /// Our broker with an acl_file that grants nothing to anonymous clients, bridged to Debian's mosquitto: the
    /// bridge's local side is exempt (as Mosquitto's bridges are, security_default.c), an anonymous local socket
    /// client is not.
    /// </summary>
    public sealed class BridgeAclFileTests
    {
        private static readonly MqttClientSubscribeResultCode[] Granted =
        {
            MqttClientSubscribeResultCode.GrantedQoS0, MqttClientSubscribeResultCode.GrantedQoS1, MqttClientSubscribeResultCode.GrantedQoS2,
        };

        [SkippableFact]
        public async Task Out_and_in_flow_under_an_acl_that_denies_anonymous_and_an_anonymous_client_stays_denied()
        {
            using TempDir acl = new TempDir();
            // Only alice has rules; the bridge's local side (anonymous, no user name) is granted nothing here.
            string aclPath = acl.Write("acl", "user alice\ntopic readwrite local/#\ntopic readwrite dev/#\n");
            using BridgeRig rig = new BridgeRig("topic sensors/# out 1 local/ site/\ntopic cmd/# in 1 dev/ up/\n", oursExtra: "acl_file " + aclPath + "\n");
            rig.WaitBridgeUp();
            using CancellationTokenSource time = MqttNet.Bound();
            using MqttNet up = await MqttNet.Connect(rig.UpstreamPort, "up-sub", time.Token);
            Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await up.Subscribe("#", MqttQualityOfServiceLevel.AtLeastOnce, time.Token));
            using MqttNet alice = await MqttNet.Connect(rig.OurPort, "alice", time.Token, b => b.WithCredentials("alice", "any"));
            Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await alice.Subscribe("dev/#", MqttQualityOfServiceLevel.AtLeastOnce, time.Token));
            using MqttNet anon = await MqttNet.Connect(rig.OurPort, "anon", time.Token);
            Assert.DoesNotContain(await anon.Subscribe("dev/#", MqttQualityOfServiceLevel.AtLeastOnce, time.Token), Granted);
            using MqttNet upPub = await MqttNet.Connect(rig.UpstreamPort, "up-pub", time.Token);

            // in: upstream -> bridge (publishes locally under the ACL) -> alice. Published again until it arrives:
            // the bridge's upstream subscription may still be on its way right after it reported up.
            MqttApplicationMessage got = null;
            for (int i = 0; i < 40 && got == null; i++)
            {
                await upPub.Client.PublishStringAsync("up/cmd/valve", "open", MqttQualityOfServiceLevel.AtLeastOnce, false, time.Token);
                using CancellationTokenSource wait = CancellationTokenSource.CreateLinkedTokenSource(time.Token);
                wait.CancelAfter(TimeSpan.FromSeconds(1));
                try
                {
                    got = await alice.Next(wait.Token);
                }
                catch (OperationCanceledException) when (!time.IsCancellationRequested)
                {
                }
            }

            Assert.NotNull(got);
            Assert.Equal("dev/cmd/valve", got.Topic);
            Assert.Equal("open", got.ConvertPayloadToString());

            // out: anon's publish is dropped by the ACL before alice's (both acknowledged, in this order), so had it
            // been routed it would reach the upstream ahead of alice's through the bridge's one FIFO queue.
            await anon.Client.PublishStringAsync("local/sensors/anon", "x", MqttQualityOfServiceLevel.AtLeastOnce, false, time.Token);
            await alice.Client.PublishStringAsync("local/sensors/t", "21", MqttQualityOfServiceLevel.AtLeastOnce, false, time.Token);
            List<string> atUp = new List<string>();
            while (true)
            {
                MqttApplicationMessage m = await up.Next(time.Token);
                atUp.Add(m.Topic);
                if (m.Topic == "site/sensors/t")
                {
                    break;
                }
            }

            Assert.DoesNotContain("site/sensors/anon", atUp);
            // The anonymous subscriber was refused dev/#, so none of the in messages reached it.
            Assert.False(anon.TryNext(out MqttApplicationMessage leaked), "anon received " + leaked?.Topic);
        }
    }
}
