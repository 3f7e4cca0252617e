using System;
using Device.Client;
using Device.Protocol;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// The client engine allocates nothing per message: after a warm-up, 10,000 rounds of QoS 0/1/2 publishes in
    /// both directions, every exchange completed (PUBACK, PUBREC/PUBREL/PUBCOMP), plus keep-alive pings, leave the
    /// thread's allocated-bytes counter where it was.
    /// </summary>
    public class ClientAllocationTests
    {
        private sealed class Silent : IClientListener
        {
            public int Messages;
            public int Finished;

            public void Connected(MqttClient client, byte returnCode, bool sessionPresent) { }
            public void MessageReceived(MqttClient client, byte[] buffer, PublishView message) { Messages++; }
            public void Subscribed(MqttClient client, ushort packetId, byte[] buffer, int codesOffset, int codesLength) { }
            public void Unsubscribed(MqttClient client, ushort packetId) { }
            public void PublishFinished(MqttClient client, ushort packetId, bool acknowledged) { Finished++; }
            public void Closed(MqttClient client, ClientError reason) { }
            public void PacketTraced(MqttClient client, bool outgoing, byte[] buffer, int offset, FixedHeader header) { }
        }

        private static readonly byte[] Topic = { (byte)'a', (byte)'/', (byte)'b' };
        private static readonly byte[] Payload = new byte[100];
        private static readonly byte[] Pingresp = { 0xD0, 0 };

        [Fact]
        public void Publishing_and_receiving_at_every_qos_allocates_nothing()
        {
            var listener = new Silent();
            var client = new MqttClient(1024, 1024, 4, 256, listener);
            ConnectOptions o = new ConnectOptions { ClientId = "alloc", KeepAliveSeconds = 1 };
            ConnectView view = new ConnectView();
            byte[] source = o.Build(view);
            long now = 0;
            Assert.Equal(ClientResult.Ok, client.Connect(view, source, now));
            client.Sent(client.TransmitCount);
            Feed(client, new byte[] { 0x20, 2, 0, 0 }, 4, now);

            byte[] ack = new byte[4];
            byte[][] incoming = new byte[3][];
            for (byte q = 0; q < 3; q++)
            {
                incoming[q] = new byte[128];
                PublishPacket.Encode(incoming[q], 0, 128, q, false, false, 1, Topic, 0, 3, Payload, 0, Payload.Length);
            }

            Rounds(client, ack, incoming, ref now, 1000);
            long before = GC.GetAllocatedBytesForCurrentThread();
            Rounds(client, ack, incoming, ref now, 10000);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal(0, allocated);
            Assert.Equal(ClientState.Connected, client.State);
            Assert.Equal(0, client.InflightCount);
            Assert.Equal(11000 * 3, listener.Messages);
            Assert.Equal(11000 * 2, listener.Finished);
        }

        private static void Rounds(MqttClient client, byte[] ack, byte[][] incoming, ref long now, int rounds)
        {
            for (int r = 0; r < rounds; r++)
            {
                for (byte q = 0; q < 3; q++)
                {
                    ushort id;
                    // A plain check: xunit's Assert allocates, which would hide what the engine does.
                    if (client.Publish(Topic, 0, 3, Payload, 0, Payload.Length, q, false, out id) != ClientResult.Ok)
                    {
                        throw new InvalidOperationException("publish refused in round " + r);
                    }

                    client.Sent(client.TransmitCount);
                    if (q == 1)
                    {
                        Feed(client, Ack(ack, PacketType.Puback, id), 4, now);
                    }
                    else if (q == 2)
                    {
                        Feed(client, Ack(ack, PacketType.Pubrec, id), 4, now);
                        Feed(client, Ack(ack, PacketType.Pubcomp, id), 4, now);
                    }

                    // The server's publishes, with a fresh packet id each round.
                    ushort serverId = (ushort)(r % 60000 + 1);
                    int len = 2 + 3 + 100 + (q > 0 ? 2 : 0);
                    byte[] p = incoming[q];
                    if (q > 0)
                    {
                        p[2 + 2 + 3] = (byte)(serverId >> 8);
                        p[2 + 2 + 3 + 1] = (byte)serverId;
                    }

                    Feed(client, p, Framing.PacketSize(len), now);
                    if (q == 2)
                    {
                        Feed(client, Ack(ack, PacketType.Pubrel, serverId), 4, now);
                    }

                    client.Sent(client.TransmitCount);
                }

                // A ping exchange every so often, answered at once.
                now += 300;
                client.Tick(now);
                if (client.TransmitCount > 0)
                {
                    client.Sent(client.TransmitCount);
                    Feed(client, Pingresp, 2, now);
                }
            }
        }

        private static byte[] Ack(byte[] ack, byte type, ushort id)
        {
            ack[0] = (byte)((type << 4) | (type == PacketType.Pubrel ? 2 : 0));
            ack[1] = 2;
            ack[2] = (byte)(id >> 8);
            ack[3] = (byte)id;
            return ack;
        }

        private static void Feed(MqttClient client, byte[] bytes, int count, long now)
        {
            Array.Copy(bytes, 0, client.ReceiveBuffer, client.ReceiveCount, count);
            client.Received(count, now);
        }
    }
}
