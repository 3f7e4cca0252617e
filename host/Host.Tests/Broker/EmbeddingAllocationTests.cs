using System;
using Device.Broker;
using Xunit;
using Xunit.Abstractions;

namespace Host.Tests
{
    /// <summary>
    /// The embedding API's promise: nothing allocated per message. After a warm-up, the app publishes through
    /// BrokerEngine.Publish (text and byte topics, QoS 0, 1 and 2, now and then retained) to two remote subscribers
    /// and its own local handler, a remote client publishes to a topic the local handler takes, and an access hook
    /// and client events are set (asked for every remote PUBLISH); the thread's allocation counter must not move.
    /// Two measured windows, the quieter must be 0 B (a one-off first-use allocation on a loaded machine shows in
    /// one window only; a per-message cost shows in both: see CodecAllocationTests).
    /// </summary>
    public class EmbeddingAllocationTests
    {
        private const int Rounds = 20000;
        private readonly ITestOutputHelper _output;

        public EmbeddingAllocationTests(ITestOutputHelper output)
        {
            _output = output;
        }

        private sealed class CountingHandler : IMessageHandler
        {
            public long Calls;
            public long PayloadBytes;

            public void OnMessage(LocalMessage message)
            {
                Calls++;
                // Read the views as an app would: compare the topic, walk the payload.
                if (message.Topic.StartsWith("gw/"))
                {
                    for (int i = 0; i < message.Payload.Length; i++)
                    {
                        PayloadBytes += message.Payload[i] == 0 ? 0 : 1;
                    }
                }
            }
        }

        private sealed class Hook : IAccessHook, IClientEvents
        {
            public long Asked;

            public bool Authenticate(ByteView clientId, ByteView username, ByteView password)
            {
                return true;
            }

            public bool MayPublish(ByteView clientId, ByteView username, ByteView topic)
            {
                Asked++;
                return !topic.StartsWith("deny/");
            }

            public bool MaySubscribe(ByteView clientId, ByteView username, ByteView filter)
            {
                return true;
            }

            public void ClientConnected(int connection, ByteView clientId, ByteView username)
            {
            }

            public void ClientDisconnected(int connection, ByteView clientId, CloseReason reason)
            {
            }
        }

        [Theory]
        [InlineData("Device")]
        [InlineData("Host")]
        public void Local_publish_and_local_delivery_allocate_nothing_per_message(string profile)
        {
            BrokerOptions o = profile == "Device" ? BrokerOptions.Device() : BrokerOptions.Host();
            o.Embedded = true;
            BrokerEngine engine = new BrokerEngine(o);
            Hook hook = new Hook();
            engine.SetAccessHook(hook);
            engine.SetClientEvents(hook);
            CountingHandler local = new CountingHandler();
            Assert.True(engine.Subscribe("gw/#", local) >= 0);
            long now = 1;
            EnginePeer q0 = Connect(engine, "sub-q0", "gw/temp", 0, now);
            EnginePeer q2 = Connect(engine, "sub-q2", "gw/+", 2, now);
            EnginePeer phone = Connect(engine, "phone", null, 0, now);
            EnginePeer[] peers = { q0, q2, phone };
            Outgoing relay = new Outgoing("gw/relay", 2, 1);
            byte[] topic = System.Text.Encoding.ASCII.GetBytes("gw/temp");
            byte[] payload = new byte[24];
            ushort id = 1;

            void Round(int i)
            {
                payload[i % payload.Length]++;
                byte qos = (byte)(i % 3);
                PublishResult r = i % 2 == 0
                    ? engine.Publish("gw/temp", payload, qos, i % 10 == 0)
                    : engine.Publish(topic, 0, topic.Length, payload, 0, payload.Length, qos, false);
                if (r != PublishResult.Ok)
                {
                    throw new InvalidOperationException("local publish " + r);
                }

                relay.SetPacketId(id);
                id = id == 65535 ? (ushort)1 : (ushort)(id + 1);
                now++;
                phone.Send(relay.Bytes, 0, relay.Length, now);
                bool any;
                do
                {
                    any = false;
                    for (int k = 0; k < peers.Length; k++)
                    {
                        any |= peers[k].Service(now);
                    }
                }
                while (any);

                if (i % 1000 == 0)
                {
                    engine.Tick(now);
                }
            }

            for (int i = 0; i < 3000; i++)
            {
                Round(i);
            }

            long allocated = long.MaxValue;
            long localBefore = local.Calls;
            long remoteBefore = q0.Received + q2.Received;
            long publishedBefore = engine.Counters.LocalPublished;
            for (int window = 0; window < 2; window++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < Rounds; i++)
                {
                    Round(3000 + window * Rounds + i);
                }

                allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
            }

            long localCalls = local.Calls - localBefore;
            long remote = q0.Received + q2.Received - remoteBefore;
            _output.WriteLine(profile + ": " + 2 * Rounds + " local PUBLISH, " + 2 * Rounds + " remote; local handler " + localCalls
                + " calls, remote subscribers " + remote + " copies, hook asked " + hook.Asked + " times; quieter window " + allocated + " B");

            Assert.Equal(2L * Rounds, engine.Counters.LocalPublished - publishedBefore);
            // Every local and every remote message reaches the local handler; each local one reaches both subscribers,
            // the remote ones (gw/relay) only the gw/+ subscriber.
            Assert.Equal(4L * Rounds, localCalls);
            Assert.Equal(2L * Rounds * 2 + 2L * Rounds, remote);
            Assert.Equal(0, engine.Counters.MessagesDropped);
            Assert.True(local.PayloadBytes > 0);
            Assert.Equal(0L, allocated);
        }

        private static EnginePeer Connect(BrokerEngine engine, string id, string filter, byte qos, long now)
        {
            EnginePeer p = new EnginePeer(engine, now);
            byte[] connect = Packets.Connect(id, true);
            p.Send(connect, 0, connect.Length, now);
            p.Service(now);
            Assert.True(engine.IsConnected(p.Connection));
            if (filter != null)
            {
                byte[] sub = Packets.Subscribe(filter, qos);
                p.Send(sub, 0, sub.Length, now);
                p.Service(now);
            }

            return p;
        }
    }
}
