using System.Collections.Generic;
using System.Diagnostics;
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
    /// Store and forward: while the upstream is away, QoS 1/2 messages for it wait in our pool (the bridge's local
    /// session is offline); on reconnect they go out in order, QoS 2 exactly once. The upstream keeps its subscriber's
    /// session across its own restart (persistence in a folder it can write, stopped with SIGTERM so it saves).
    /// </summary>
    public sealed class BridgeOutageTests
    {
        private const int PerQos = 1000;

        private readonly ITestOutputHelper _out;

        public BridgeOutageTests(ITestOutputHelper output)
        {
            _out = output;
        }

        [SkippableFact]
        public async Task After_an_outage_1000_qos1_and_1000_qos2_arrive_in_order_and_qos2_exactly_once()
        {
            // The bridge dials through a relay, so the test decides when it may reach the restarted upstream (below). A
            // refused attempt closes before CONNACK, so the next one goes without the bridge flag and the one after that
            // with it again (try_private, BridgeTryPrivateTests): nothing here depends on it.
            int upstreamPort = ConfiguredBrokerProcess.FreePort();
            using TcpRelay relay = new TcpRelay(upstreamPort);
            using BridgeRig rig = new BridgeRig("topic q1/# out 1\ntopic q2/# out 2\nnotifications false\n",
                "max_queued_messages 100000\n", "max_queued_messages 5000\n", persistentUpstream: true, upstreamPort: upstreamPort, bridgeToPort: relay.Port);
            rig.WaitBridgeUp();
            using CancellationTokenSource time = new CancellationTokenSource(TimeSpan.FromSeconds(240));
            await SubscribeDurably(rig.UpstreamPort, time.Token);

            relay.Refusing = true;
            rig.Upstream.Terminate();
            // The upstream saved its sessions (the subscriber's queue is the test's whole point).
            Assert.DoesNotContain("Error", rig.Upstream.Output, StringComparison.Ordinal);
            using (MqttNet pub = await MqttNet.Connect(rig.OurPort, "publisher", time.Token))
            {
                for (int i = 0; i < PerQos; i++)
                {
                    await pub.Client.PublishStringAsync("q1/seq", i.ToString(), MqttQualityOfServiceLevel.AtLeastOnce, false, time.Token);
                    await pub.Client.PublishStringAsync("q2/seq", i.ToString(), MqttQualityOfServiceLevel.ExactlyOnce, false, time.Token);
                }
            }

            Stopwatch drain = Stopwatch.StartNew();
            rig.StartUpstream();
            // The durable subscriber is back before the bridge: Mosquitto 2.0 puts a new message straight in flight to a
            // connected client whenever its window has room (db__message_insert: db__ready_for_flight before the queue),
            // so messages forwarded while it was still away, queued for it, would be overtaken by later ones. That is the
            // upstream's order, not the bridge's; the bridge's is what this test holds.
            using MqttNet sub = await MqttNet.Connect(rig.UpstreamPort, "up-durable", time.Token, b => b.WithCleanSession(false));
            relay.Refusing = false;
            Received got = await Collect(sub, PerQos, TimeSpan.FromSeconds(120), time.Token);
            _out.WriteLine("upstream restart to the last of 2,000 messages: " + drain.ElapsedMilliseconds + " ms");
            rig.WaitBridgeUp(2);
            got.AssertComplete(PerQos);
            Assert.Equal(0, got.Q2Duplicates);
        }

        internal static async Task SubscribeDurably(int port, CancellationToken token)
        {
            using MqttNet sub = await MqttNet.Connect(port, "up-durable", token, b => b.WithCleanSession(false));
            await sub.Subscribe("q1/#", MqttQualityOfServiceLevel.AtLeastOnce, token);
            await sub.Subscribe("q2/#", MqttQualityOfServiceLevel.ExactlyOnce, token);
            await sub.Client.DisconnectAsync(new MqttClientDisconnectOptions(), token);
        }

        /// <summary>
        /// Reads q1/seq and q2/seq until every number of both has come (or the patience runs out: the counts then say
        /// how far it got instead of a bare time-out), then what is still on its way for a moment.
        /// </summary>
        internal static async Task<Received> Collect(MqttNet sub, int count, TimeSpan patience, CancellationToken token)
        {
            Received r = new Received();
            using CancellationTokenSource limit = CancellationTokenSource.CreateLinkedTokenSource(token);
            limit.CancelAfter(patience);
            try
            {
                while (r.Seen1.Count < count || r.Seen2.Count < count)
                {
                    r.Add(await sub.Next(limit.Token));
                }
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException("after " + patience.TotalSeconds + " s: " + r);
            }

            await Task.Delay(500, token);
            while (sub.TryNext(out MqttApplicationMessage late))
            {
                r.Add(late);
            }

            return r;
        }

        /// <summary>What an upstream subscriber got: first copies in arrival order, and the repeats.</summary>
        internal sealed class Received
        {
            public readonly List<int> Q1 = new List<int>();
            public readonly List<int> Q2 = new List<int>();
            public readonly HashSet<int> Seen1 = new HashSet<int>();
            public readonly HashSet<int> Seen2 = new HashSet<int>();
            public int Q1Duplicates;
            public int Q2Duplicates;
            /// <summary>1: a marker came on q1/seq, 2: on q2/seq.</summary>
            public int MarkerTopics;
            public int Top1 = -1;
            public int Top2 = -1;

            public void Add(MqttApplicationMessage m)
            {
                Add(m.Topic, int.Parse(m.ConvertPayloadToString()));
            }

            /// <summary>Message n of q1/seq (QoS 1) or q2/seq (QoS 2).</summary>
            public void Add(string topic, int n)
            {
                if (n < 0)
                {
                    // A marker (BridgeKillTests): the path is open, not part of the burst.
                    MarkerTopics |= topic == "q1/seq" ? 1 : 2;
                    return;
                }

                if (topic == "q1/seq")
                {
                    Top1 = Math.Max(Top1, n);
                    if (Seen1.Add(n))
                    {
                        Q1.Add(n);
                    }
                    else
                    {
                        Q1Duplicates++;
                    }
                }
                else if (Seen2Add(n))
                {
                    Q2.Add(n);
                }
                else
                {
                    Q2Duplicates++;
                }
            }

            private bool Seen2Add(int n)
            {
                Top2 = Math.Max(Top2, n);
                return Seen2.Add(n);
            }

            /// <summary>How far the burst has got: the highest numbers seen, whatever was lost before them.</summary>
            public int Reach { get { return Top1 + 1 + Top2 + 1; } }

            /// <summary>Every number of each, first copies in publishing order.</summary>
            public void AssertComplete(int count)
            {
                Assert.Equal(count, Q1.Count);
                Assert.Equal(count, Q2.Count);
                for (int i = 0; i < count; i++)
                {
                    Assert.Equal(i, Q1[i]);
                    Assert.Equal(i, Q2[i]);
                }
            }

            public override string ToString()
            {
                return "QoS 1: " + Seen1.Count + " distinct (" + Q1Duplicates + " repeats), QoS 2: " + Seen2.Count + " distinct (" + Q2Duplicates + " repeats)";
            }
        }
    }
}
