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
    /// Two of our brokers bridged `both` to one Debian mosquitto on the same topics, the shape in which a message could
    /// go round for ever (A -> upstream -> B -> upstream -> A ...). Loop prevention is the bridge flag (try_private):
    /// the upstream does not send a bridge its own messages back, and our engine does not route a message to the bridge
    /// session that published it (Delivery.cs, Unmatch). Every message must reach every subscriber exactly once.
    /// </summary>
    public sealed class BridgeLoopTests
    {
        private const int PerSource = 20;

        [SkippableFact]
        public async Task Two_brokers_bridged_both_ways_to_one_upstream_deliver_each_message_once_everywhere()
        {
            Peers.Require("mosquitto");
            using TempDir dir = new TempDir();
            int upPort = ConfiguredBrokerProcess.FreePort();
            int aPort = ConfiguredBrokerProcess.FreePort();
            int bPort = ConfiguredBrokerProcess.FreePort();
            using ConfiguredBrokerProcess up = ConfiguredBrokerProcess.Mosquitto(
                dir.Write("up.conf", "listener " + upPort + " 127.0.0.1\nallow_anonymous true\n"), upPort);
            using ConfiguredBrokerProcess a = ConfiguredBrokerProcess.Ours(dir.Write("a.conf", Ours(aPort, upPort, "gw-a")), aPort);
            using ConfiguredBrokerProcess b = ConfiguredBrokerProcess.Ours(dir.Write("b.conf", Ours(bPort, upPort, "gw-b")), bPort);
            foreach (ConfiguredBrokerProcess p in new[] { a, b })
            {
                ConfiguredBrokerProcess q = p;
                BridgeRig.Wait(() => q.Output.Contains("Bridge up: connected to upstream (bridge flag accepted)", StringComparison.Ordinal),
                    "bridge up", () => q.Output);
            }

            using CancellationTokenSource time = MqttNet.Bound();
            Dictionary<string, MqttNet> subs = new Dictionary<string, MqttNet>
            {
                ["a"] = await MqttNet.Connect(aPort, "sub-a", time.Token),
                ["b"] = await MqttNet.Connect(bPort, "sub-b", time.Token),
                ["up"] = await MqttNet.Connect(upPort, "sub-up", time.Token),
            };
            try
            {
                foreach (MqttNet s in subs.Values)
                {
                    await s.Subscribe("loop/#", MqttQualityOfServiceLevel.AtLeastOnce, time.Token);
                }

                // The bridges' remote subscriptions may still be on their way right after CONNACK.
                await Task.Delay(300, time.Token);
                using MqttNet pubA = await MqttNet.Connect(aPort, "pub-a", time.Token);
                using MqttNet pubB = await MqttNet.Connect(bPort, "pub-b", time.Token);
                using MqttNet pubUp = await MqttNet.Connect(upPort, "pub-up", time.Token);
                for (int i = 0; i < PerSource; i++)
                {
                    await pubA.Client.PublishStringAsync("loop/a", "a" + i, MqttQualityOfServiceLevel.AtLeastOnce, false, time.Token);
                    await pubB.Client.PublishStringAsync("loop/b", "b" + i, MqttQualityOfServiceLevel.AtMostOnce, false, time.Token);
                    await pubUp.Client.PublishStringAsync("loop/up", "u" + i, MqttQualityOfServiceLevel.ExactlyOnce, false, time.Token);
                }

                Dictionary<string, List<string>> got = new Dictionary<string, List<string>>();
                foreach (KeyValuePair<string, MqttNet> s in subs)
                {
                    List<string> mine = new List<string>();
                    got[s.Key] = mine;
                    HashSet<string> distinct = new HashSet<string>();
                    while (distinct.Count < 3 * PerSource)
                    {
                        string m = (await s.Value.Next(time.Token)).ConvertPayloadToString();
                        mine.Add(m);
                        distinct.Add(m);
                    }
                }

                // Anything circulating would keep arriving: count for a while after the last message.
                await Task.Delay(2000, time.Token);
                foreach (KeyValuePair<string, MqttNet> s in subs)
                {
                    while (s.Value.TryNext(out MqttApplicationMessage more))
                    {
                        got[s.Key].Add(more.ConvertPayloadToString());
                    }

                    Assert.True(got[s.Key].Count == 3 * PerSource, s.Key + " got " + got[s.Key].Count + ": " + string.Join(",", got[s.Key]));
                }
            }
            finally
            {
                foreach (MqttNet s in subs.Values)
                {
                    s.Dispose();
                }
            }
        }

        private static string Ours(int port, int upPort, string id)
        {
            return "listener " + port + " 127.0.0.1\nallow_anonymous true\nconnection up\naddress 127.0.0.1:" + upPort + "\n"
                + "remote_clientid " + id + "\nnotifications false\ntopic loop/# both 1\n";
        }
    }
}
