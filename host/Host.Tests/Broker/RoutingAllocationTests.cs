using System;
using Device.Broker;
using Xunit.Abstractions;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// Nothing is allocated per message: after a warm-up, routing 100,000 PUBLISH packets (QoS 0, 1 and 2, one
    /// publisher to five subscribers and three publishers to one subscriber, every QoS flow completed by the
    /// clients) leaves the thread's allocated-bytes counter where it was.
    /// </summary>
    public class RoutingAllocationTests
    {
        private readonly ITestOutputHelper _output;

        public RoutingAllocationTests(ITestOutputHelper output)
        {
            _output = output;
        }

        private sealed class Traffic
        {
            public readonly BrokerEngine Engine;
            public readonly EnginePeer[] Peers;
            public readonly EnginePeer FanOutPublisher;
            public readonly EnginePeer[] FanOutSubscribers;
            public readonly EnginePeer[] FanInPublishers;
            public readonly EnginePeer FanInSubscriber;
            public readonly Outgoing[] FanOut = new Outgoing[3];
            public readonly Outgoing[,] FanIn = new Outgoing[3, 3];
            public readonly ushort[] NextId = new ushort[4];
            public long Now = 1;

            private readonly bool _secure;

            public Traffic(BrokerOptions options, int payload, bool secure)
            {
                Engine = new BrokerEngine(options);
                _secure = secure;
                if (secure)
                {
                    // Every delivery then runs the ACL: the user's own deny rule, a deny pattern expanded with
                    // %c and %u, and the granting pattern.
                    Assert.True(Engine.Users.Add("u", "pw"));
                    Assert.Equal(0, AclFile.Load(Engine.Acl, "user u\ntopic deny fan/secret\npattern deny private/%c/%u\npattern readwrite fan/#\n"));
                }

                FanOutPublisher = Connect("fan-out-pub");
                FanOutSubscribers = new EnginePeer[5];
                byte[] granted = { 0, 1, 2, 1, 2 };
                for (int i = 0; i < 5; i++)
                {
                    FanOutSubscribers[i] = Connect("fan-out-sub-" + i);
                    Subscribe(FanOutSubscribers[i], "fan/out", granted[i]);
                }

                FanInPublishers = new EnginePeer[3];
                for (int i = 0; i < 3; i++)
                {
                    FanInPublishers[i] = Connect("fan-in-pub-" + i);
                }

                FanInSubscriber = Connect("fan-in-sub");
                Subscribe(FanInSubscriber, "fan/in/+", 2);
                Peers = new EnginePeer[10];
                Peers[0] = FanOutPublisher;
                Array.Copy(FanOutSubscribers, 0, Peers, 1, 5);
                Array.Copy(FanInPublishers, 0, Peers, 6, 3);
                Peers[9] = FanInSubscriber;

                for (byte q = 0; q < 3; q++)
                {
                    FanOut[q] = new Outgoing("fan/out", payload, q);
                    for (int p = 0; p < 3; p++)
                    {
                        FanIn[p, q] = new Outgoing("fan/in/" + p, payload, q);
                    }
                }

                for (int i = 0; i < NextId.Length; i++)
                {
                    NextId[i] = 1;
                }
            }

            private EnginePeer Connect(string id)
            {
                EnginePeer p = new EnginePeer(Engine, Now);
                byte[] connect = _secure ? Packets.Connect(id, true, "u", "pw") : Packets.Connect(id, true);
                p.Send(connect, 0, connect.Length, Now);
                p.Service(Now);
                Assert.True(Engine.IsConnected(p.Connection));
                return p;
            }

            private void Subscribe(EnginePeer p, string filter, byte qos)
            {
                byte[] sub = Packets.Subscribe(filter, qos);
                p.Send(sub, 0, sub.Length, Now);
                p.Service(Now);
            }

            /// <summary>Step i: even steps fan out, odd steps fan in; QoS cycles 0, 1, 2.</summary>
            public void Step(int i)
            {
                byte qos = (byte)(i % 3);
                Outgoing packet;
                EnginePeer from;
                int publisher;
                if (i % 2 == 0)
                {
                    packet = FanOut[qos];
                    from = FanOutPublisher;
                    publisher = 0;
                }
                else
                {
                    int p = (i / 2) % 3;
                    // Every publisher takes every QoS in turn.
                    qos = (byte)((i / 6) % 3);
                    packet = FanIn[p, qos];
                    from = FanInPublishers[p];
                    publisher = 1 + p;
                }

                if (qos > 0)
                {
                    packet.SetPacketId(NextId[publisher]);
                    NextId[publisher] = NextId[publisher] == 65535 ? (ushort)1 : (ushort)(NextId[publisher] + 1);
                }

                Now++;
                from.Send(packet.Bytes, 0, packet.Length, Now);
                bool any;
                do
                {
                    any = false;
                    for (int k = 0; k < Peers.Length; k++)
                    {
                        any |= Peers[k].Service(Now);
                    }
                }
                while (any);

                if (i % 1000 == 0)
                {
                    Engine.Tick(Now);
                }
            }

            public long Deliveries()
            {
                long n = FanInSubscriber.Received;
                for (int i = 0; i < FanOutSubscribers.Length; i++)
                {
                    n += FanOutSubscribers[i].Received;
                }

                return n;
            }
        }

        [Theory]
        [InlineData("Device", 64, false)]
        [InlineData("Device", 64, true)]
        [InlineData("Host", 512, false)]
        public void Routing_100000_messages_allocates_nothing(string profile, int payload, bool secure)
        {
            BrokerOptions options = profile == "Device" ? BrokerOptions.Device() : BrokerOptions.Host();
            Traffic s = new Traffic(options, payload, secure);
            for (int i = 0; i < 30000; i++)
            {
                s.Step(i);
            }

            long deliveriesBefore = s.Deliveries();
            long receivedBefore = s.Engine.Counters.MessagesReceived;
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 30000; i < 130000; i++)
            {
                s.Step(i);
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            long deliveries = s.Deliveries() - deliveriesBefore;
            Counters k = s.Engine.Counters;
            _output.WriteLine(profile + (secure ? " with users and ACL" : "") + ": 100000 PUBLISH in, " + deliveries + " delivered, " + allocated + " bytes allocated; "
                + "in flight/stored now " + s.Engine.Messages.Count + ", dropped " + k.MessagesDropped);

            Assert.Equal(100000, k.MessagesReceived - receivedBefore);
            // Fan-out steps reach five subscribers, fan-in steps one.
            Assert.Equal(50000L * 5 + 50000L, deliveries);
            Assert.Equal(0, k.MessagesDropped);
            Assert.Equal(0, k.AclDeniedRead + k.AclDeniedPublish);
            Assert.Equal(0, s.Engine.Messages.Count);
            for (int i = 0; i < s.Peers.Length; i++)
            {
                Assert.True(s.Engine.IsConnected(s.Peers[i].Connection), "every client still connected");
            }

            Assert.Equal(0L, allocated);
        }

        [Fact]
        public void The_measurement_sees_an_allocation_when_there_is_one()
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            object o = new byte[100];
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            GC.KeepAlive(o);
            Assert.True(allocated >= 100);
        }
    }
}
