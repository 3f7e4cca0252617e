namespace Device.Protocol
{
    /// <summary>
    /// Type dispatch over the per-family decoders, for code that only needs a verdict (tools, fuzzing, logs). An
    /// instance holds one view of each family, filled and reused by every Validate call: keep one per thread.
    /// </summary>
    public sealed class Packet
    {
        private readonly ConnectView _connect = new ConnectView();
        private readonly ConnackView _connack = new ConnackView();
        private readonly PublishView _publish = new PublishView();
        private readonly SubscribeView _subscribe = new SubscribeView();
        private readonly SubackView _suback = new SubackView();
        private readonly UnsubscribeView _unsubscribe = new UnsubscribeView();

        /// <summary>Fully validates the packet at buffer[packetOffset] whatever its type.</summary>
        public DecodeResult Validate(byte[] buffer, int packetOffset, FixedHeader header)
        {
            switch (header.Type)
            {
                case PacketType.Connect:
                    return ConnectPacket.Decode(buffer, packetOffset, header, _connect);
                case PacketType.Connack:
                    return ConnackPacket.Decode(buffer, packetOffset, header, _connack);
                case PacketType.Publish:
                    return PublishPacket.Decode(buffer, packetOffset, header, _publish);
                case PacketType.Puback:
                case PacketType.Pubrec:
                case PacketType.Pubrel:
                case PacketType.Pubcomp:
                case PacketType.Unsuback:
                    ushort packetId;
                    return AckPacket.Decode(buffer, packetOffset, header, out packetId);
                case PacketType.Subscribe:
                    return SubscribePacket.Decode(buffer, packetOffset, header, _subscribe);
                case PacketType.Suback:
                    return SubackPacket.Decode(buffer, packetOffset, header, _suback);
                case PacketType.Unsubscribe:
                    return UnsubscribePacket.Decode(buffer, packetOffset, header, _unsubscribe);
                case PacketType.Pingreq:
                case PacketType.Pingresp:
                case PacketType.Disconnect:
                    return EmptyPacket.Decode(buffer, packetOffset, header);
                default:
                    return DecodeResult.UnknownPacketType;
            }
        }
    }
}
