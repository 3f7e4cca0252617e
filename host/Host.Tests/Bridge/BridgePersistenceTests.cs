using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MQTTnet;
using MQTTnet.Protocol;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// The bridge's outgoing queue survives a crash of our broker with persistence on (issue 13, "What to persist"):
    /// the queue is the bridge's offline persistent session in the engine (Device.Net/Bridge), so the journal keeps it
    /// like any other. With persistence off the same run loses it, which shows the test can fail.
    /// </summary>
    public sealed class BridgePersistenceTests
    {
        private const int Messages = 20;

        [SkippableTheory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task Messages_queued_for_a_down_upstream_are_forwarded_after_our_broker_is_killed_and_restarted(bool persistence)
        {
            string store = persistence ? "persistence true\npersistence_location store/\nfsync always\n" : "";
            using BridgeRig rig = new BridgeRig("topic q/# out 1\n", "", store);
            rig.WaitBridgeUp();
            using CancellationTokenSource time = new CancellationTokenSource(System.TimeSpan.FromSeconds(90));

            rig.Upstream.Kill();
            BridgeRig.Wait(() => rig.Ours.Output.Contains("upstream closed the connection") || rig.Ours.Output.Contains("upstream connection ended"), "the bridge to see the upstream go", () => rig.Ours.Output);
            using (MqttNet pub = await MqttNet.Connect(rig.OurPort, "local-pub", time.Token))
            {
                for (int i = 0; i < Messages; i++)
                {
                    // Acknowledged by our broker: queued in the bridge's offline session.
                    await pub.Client.PublishStringAsync("q/" + i, "m" + i, MqttQualityOfServiceLevel.AtLeastOnce, false, time.Token);
                }
            }

            rig.Ours.Kill();
            rig.StartUpstream();
            using MqttNet up = await MqttNet.Connect(rig.UpstreamPort, "up-sub", time.Token);
            await up.Subscribe("q/#", MqttQualityOfServiceLevel.AtLeastOnce, time.Token);
            rig.RestartOurs();
            rig.WaitBridgeUp();
            // The bridge's subscriptions may still be on their way right after its CONNACK (as in BridgeMosquittoTests).
            await Task.Delay(300, time.Token);
            using (MqttNet marker = await MqttNet.Connect(rig.OurPort, "marker", time.Token))
            {
                await marker.Client.PublishStringAsync("q/marker", "end", MqttQualityOfServiceLevel.AtLeastOnce, false, time.Token);
            }

            HashSet<string> got = new HashSet<string>();
            while (true)
            {
                MqttApplicationMessage m = await up.Next(time.Token);
                if (m.Topic == "q/marker")
                {
                    break;
                }

                got.Add(m.Topic + " " + m.ConvertPayloadToString());
            }

            if (persistence)
            {
                for (int i = 0; i < Messages; i++)
                {
                    Assert.Contains("q/" + i + " m" + i, got);
                }

                Assert.Equal(Messages, got.Count);
            }
            else
            {
                Assert.Empty(got);
            }
        }
    }
}
