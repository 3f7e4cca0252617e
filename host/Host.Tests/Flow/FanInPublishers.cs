using System;
using Device.Protocol;

using Device.Tests;

namespace Host.Tests
{
    /// <summary>
    /// The publishers of a fan-in burst over FakeNet and every PUBLISH each will send, encoded before the measured run
    /// (so the burst allocates nothing of its own): publisher k sends "fan/x" with the 4-byte big-endian sequence
    /// number k * per + i as its payload, which is how the subscriber checks each publisher's order.
    /// </summary>
    public sealed class FanInPublishers
    {
        public readonly FakeClient[] Clients;
        public readonly byte[][][] Packets;

        public FanInPublishers(FakeNet net, int pubs, int per, byte qos)
        {
            Clients = new FakeClient[pubs];
            Packets = new byte[pubs][][];
            byte[] topic = TestPackets.Bytes("fan/x");
            var payload = new byte[4];
            for (int k = 0; k < pubs; k++)
            {
                Clients[k] = net.Connect("p" + k, true);
                Packets[k] = new byte[per][];
                for (int i = 0; i < per; i++)
                {
                    int seq = k * per + i;
                    payload[0] = (byte)(seq >> 24);
                    payload[1] = (byte)(seq >> 16);
                    payload[2] = (byte)(seq >> 8);
                    payload[3] = (byte)seq;
                    var p = new byte[32];
                    int n = PublishPacket.Encode(p, 0, p.Length, qos, false, false, qos == 0 ? (ushort)0 : Id(i), topic, 0, topic.Length, payload, 0, 4);
                    Array.Resize(ref p, n);
                    Packets[k][i] = p;
                }
            }
        }

        /// <summary>The packet id of a publisher's i-th QoS 1/2 message (1..60,000, reused in turn).</summary>
        public static ushort Id(int i)
        {
            return (ushort)(i % 60000 + 1);
        }
    }
}
