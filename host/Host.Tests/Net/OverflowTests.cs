using System;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// Connections beyond the socket budget are turned away cleanly: CONNACK 3 where a CONNECT comes, else closed. On
    /// the board's platform and on the PC's (on Linux accepted as bare descriptors, which the waiting room wraps in a
    /// Socket: IDescriptorPlatform.Adopt).
    /// </summary>
    public class OverflowTests
    {
        private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void A_client_beyond_max_clients_gets_connack_3_from_the_engines_spare_slot(bool hostPlatform)
        {
            using LoopBroker broker = new LoopBroker(LoopBroker.Small(clients: 2, spare: 1), hostPlatform: hostPlatform);
            using RawClient a = new RawClient(broker.Port), b = new RawClient(broker.Port), c = new RawClient(broker.Port);

            Assert.Equal(0, a.Connect("a"));
            Assert.Equal(0, b.Connect("b"));
            Assert.Equal(3, c.Connect("c"));
            Assert.True(c.ClosedByBroker(Wait));
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void Beyond_every_slot_a_connect_is_answered_connack_3_and_a_silent_or_surplus_connection_is_closed(bool hostPlatform)
        {
            using LoopBroker broker = new LoopBroker(LoopBroker.Small(clients: 1, spare: 0), hostPlatform: hostPlatform);
            using RawClient holder = new RawClient(broker.Port);
            Assert.Equal(0, holder.Connect("holder"));

            // The listener accepts in arrival order: the first two take the waiting room's two places, the third finds it full.
            using RawClient talker = new RawClient(broker.Port);
            using RawClient silent = new RawClient(broker.Port);
            using RawClient surplus = new RawClient(broker.Port);

            Assert.True(surplus.ClosedByBroker(Wait), "the connection beyond the waiting room is closed");
            talker.SendConnect("talker");
            byte[] connack = talker.ReadPacket();
            Assert.Equal(new byte[] { 0x20, 0x02, 0x00, 0x03 }, connack);
            Assert.True(talker.ClosedByBroker(Wait));
            Assert.True(silent.ClosedByBroker(Wait), "a connection that never sends CONNECT is closed after its wait");

            Assert.Contains("refused by closing", broker.Events);
            Assert.Contains("refused with CONNACK 3", broker.Events);
            // The client that holds the only slot was never disturbed.
            holder.Send(0xC0, new byte[0]);
            Assert.Equal(0xD0, holder.ReadPacket()[0]);
        }
    }
}
