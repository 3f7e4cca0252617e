using Device.Broker;
using Device.Protocol;
using Device.Tests;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// Issue 9: `max_queued_messages 100000` started and then died under QoS 1 load (IndexOutOfRangeException in the old
    /// MessageQueue.PeekMessage: its per-session positions were shorts, so a queue past 32767 entries broke). The
    /// queue is now a linked list in the shared pool with int counts; this proves one session really holds more
    /// than 32767 queued messages and gets every one back, in order.
    /// </summary>
    public class DeepQueueTests
    {
        private const int Messages = 40000;

        [Fact]
        public void An_offline_session_queues_more_than_32767_messages_and_gets_all_of_them_in_order()
        {
            BrokerOptions o = BrokerOptions.Host();
            o.MaxClients = 4;
            o.MaxPersistentSessions = 2;
            o.MaxQueuedMessages = 100000;
            Assert.Null(o.Check());
            FakeNet net = new FakeNet(o);
            FakeClient away = net.Connect(new ConnectSpec("away") { CleanSession = false });
            away.Subscribe("deep", 1);
            away.DropNetwork();

            FakeClient pub = net.Connect("pub", true);
            for (int i = 0; i < Messages; i++)
            {
                pub.Send(TestPackets.Publish("deep", i.ToString(), 1, (ushort)(i % 60000 + 1)));
                Assert.Equal((ushort)(i % 60000 + 1), pub.ExpectAck(PacketType.Puback));
            }

            Assert.Equal(Messages, net.Engine.QueuedFor(net.Engine.Sessions.Find(TestPackets.Bytes("away"), 0, 4)));
            Assert.Equal(0, net.Engine.Counters.MessagesDropped);

            FakeClient back = net.Open();
            back.Send(TestPackets.Connect(new ConnectSpec("away") { CleanSession = false }));
            Assert.True(back.ExpectConnack().SessionPresent);
            int received = 0;
            ushort[] window = new ushort[o.InflightPerSession];
            while (back.Unread > 0)
            {
                // Read the whole window before acknowledging, so the test client's inbox empties every round.
                int n = 0;
                while (back.Unread > 0)
                {
                    PublishView v = back.ExpectPublish();
                    Assert.Equal(received.ToString(), back.Text(v.PayloadOffset, v.PayloadLength));
                    window[n++] = v.PacketId;
                    received++;
                }

                for (int i = 0; i < n; i++)
                {
                    back.Send(TestPackets.Ack(PacketType.Puback, window[i]));
                }
            }

            Assert.Equal(Messages, received);
            Assert.Equal(0, net.Engine.Counters.StoredMessages);
        }
    }
}
