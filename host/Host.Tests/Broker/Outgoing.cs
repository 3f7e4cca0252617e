using System;
using Device.Broker;
using Device.Protocol;

using Device.Tests;

namespace Host.Tests
{
    /// <summary>Prebuilt packets whose packet id can be patched in place.</summary>
    internal sealed class Outgoing
    {
        public readonly byte[] Bytes;
        public readonly int Length;
        private readonly int _packetIdAt;

        public Outgoing(string topic, int payloadLength, byte qos)
        {
            byte[] t = System.Text.Encoding.UTF8.GetBytes(topic);
            byte[] p = new byte[payloadLength];
            for (int i = 0; i < p.Length; i++)
            {
                p[i] = (byte)('a' + i % 26);
            }

            Bytes = new byte[payloadLength + t.Length + 16];
            Length = PublishPacket.Encode(Bytes, 0, Bytes.Length, qos, false, false, (ushort)(qos > 0 ? 1 : 0), t, 0, t.Length, p, 0, p.Length);
            FixedHeader h = new FixedHeader();
            Framing.ReadHeader(Bytes, 0, Length, 0, h);
            _packetIdAt = qos > 0 ? h.HeaderLength + 2 + t.Length : -1;
        }

        public void SetPacketId(ushort id)
        {
            if (_packetIdAt >= 0)
            {
                Bytes[_packetIdAt] = (byte)(id >> 8);
                Bytes[_packetIdAt + 1] = (byte)id;
            }
        }
    }
}
