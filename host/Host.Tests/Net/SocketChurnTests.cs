using System.Collections.Generic;
using System.Threading.Tasks;
using System;
using Xunit;

namespace Host.Tests
{
    public class SocketChurnTests
    {
        private const int Clients = 12;
        private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

        [Fact]
        public void Twelve_clients_at_once_then_2000_connect_disconnect_cycles_leave_every_slot_reusable()
        {
            using LoopBroker broker = new LoopBroker(LoopBroker.Small(Clients, spare: 1));

            FillEverySlotThenRefuseOneMore(broker, "first");

            // Churn from four threads at once; every third cycle drops the socket without DISCONNECT, so both ways
            // out (the engine's close and the network's) are taken hundreds of times.
            Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, worker =>
            {
                for (int i = 0; i < 500; i++)
                {
                    using RawClient c = new RawClient(broker.Port);
                    Assert.Equal(0, c.Connect("churn-" + worker + "-" + (i % 7)));
                    if (i % 3 != 0)
                    {
                        c.Disconnect();
                        Assert.True(c.ClosedByBroker(Wait));
                    }
                }
            });

            Assert.True(LoopBroker.Eventually(() => broker.Transport.OpenConnections == 0 && broker.Engine.Counters.ClientsConnected == 0, Wait),
                "open sockets " + broker.Transport.OpenConnections + ", connected clients " + broker.Engine.Counters.ClientsConnected);
            Assert.Equal(0, broker.Engine.Sessions.Count);

            FillEverySlotThenRefuseOneMore(broker, "again");
        }

        private static void FillEverySlotThenRefuseOneMore(LoopBroker broker, string prefix)
        {
            List<RawClient> clients = new List<RawClient>();
            try
            {
                for (int i = 0; i < Clients; i++)
                {
                    RawClient c = new RawClient(broker.Port);
                    clients.Add(c);
                    Assert.Equal(0, c.Connect(prefix + "-" + i));
                }

                using (RawClient extra = new RawClient(broker.Port))
                {
                    Assert.Equal(3, extra.Connect(prefix + "-extra"));
                    Assert.True(extra.ClosedByBroker(Wait));
                }

                // All twelve are still served.
                foreach (RawClient c in clients)
                {
                    c.Send(0xC0, new byte[0]);
                    Assert.Equal(0xD0, c.ReadPacket()[0]);
                }

                foreach (RawClient c in clients)
                {
                    c.Disconnect();
                    Assert.True(c.ClosedByBroker(Wait));
                }
            }
            finally
            {
                foreach (RawClient c in clients)
                {
                    c.Dispose();
                }
            }

            Assert.True(LoopBroker.Eventually(() => broker.Transport.OpenConnections == 0, Wait));
        }
    }
}
