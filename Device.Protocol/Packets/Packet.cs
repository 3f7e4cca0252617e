namespace Device.Protocol
{
    /// <summary>Type dispatch over the per-family decoders, for code that only needs a verdict (tools, fuzzing, logs).</summary>
    public static class Packet
    {
        /// <summary>Fully validates the packet at buffer[packetOffset] whatever its type.</summary>
        public static DecodeResult Validate(byte[] buffer, int packetOffset, FixedHeader header)
        {
            switch (header.Type)
            {
                case PacketType.Connect:
                    ConnectView connect;
                    return ConnectPacket.Decode(buffer, packetOffset, header, out connect);
                case PacketType.Connack:
                    ConnackView connack;
                    return ConnackPacket.Decode(buffer, packetOffset, header, out connack);
                case PacketType.Publish:
                    PublishView publish;
                    return PublishPacket.Decode(buffer, packetOffset, header, out publish);
                case PacketType.Puback:
                case PacketType.Pubrec:
                case PacketType.Pubrel:
                case PacketType.Pubcomp:
                case PacketType.Unsuback:
                    ushort packetId;
                    return AckPacket.Decode(buffer, packetOffset, header, out packetId);
                case PacketType.Subscribe:
                    SubscribeView subscribe;
                    return SubscribePacket.Decode(buffer, packetOffset, header, out subscribe);
                case PacketType.Suback:
                    SubackView suback;
                    return SubackPacket.Decode(buffer, packetOffset, header, out suback);
                case PacketType.Unsubscribe:
                    UnsubscribeView unsubscribe;
                    return UnsubscribePacket.Decode(buffer, packetOffset, header, out unsubscribe);
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
