using Device.Protocol;

namespace Device.Broker
{
    /// <summary>
    /// Writing packets into a connection's transmit buffer with the codec's encoders. Each writer claims
    /// exactly the packet's size first and returns false, writing nothing, when it does not fit.
    /// </summary>
    public sealed partial class BrokerEngine
    {
        /// <summary>
        /// Every reply a handler writes has its room reserved by Dispatch before the packet is taken (ReplyRoom), so
        /// a reply that does not fit is an engine bug. It is still never ignored: the connection is closed (its
        /// client retries after reconnecting, [MQTT-4.4.0-1]) and counted, instead of leaving the client waiting.
        /// </summary>
        private bool Replied(int c, bool written)
        {
            if (!written)
            {
                _counters.RepliesNotWritten++;
                Close(c, CloseReason.ReplyNotWritten, true);
            }

            return written;
        }

        private bool WriteConnack(int c, bool sessionPresent, byte code)
        {
            int at = _connections.TxClaim(c, ConnackPacket.Size);
            if (at < 0)
            {
                return false;
            }

            ConnackPacket.Encode(_connections.TxArray(c), at, ConnackPacket.Size, sessionPresent, code);
            return true;
        }

        private bool WriteAck(int c, byte type, ushort packetId)
        {
            int at = _connections.TxClaim(c, AckPacket.Size);
            if (at < 0)
            {
                return false;
            }

            AckPacket.Encode(_connections.Tx ?? _connections.TxArray(c), at, AckPacket.Size, type, packetId);
            return true;
        }

        private bool WriteEmpty(int c, byte type)
        {
            int at = _connections.TxClaim(c, EmptyPacket.Size);
            if (at < 0)
            {
                return false;
            }

            EmptyPacket.Encode(_connections.TxArray(c), at, EmptyPacket.Size, type);
            return true;
        }

        private bool WriteSuback(int c, ushort packetId, byte[] codes, int count)
        {
            int size = Framing.PacketSize(2 + count);
            int at = _connections.TxClaim(c, size);
            if (at < 0)
            {
                return false;
            }

            SubackPacket.Encode(_connections.TxArray(c), at, size, packetId, codes, 0, count);
            return true;
        }

        private static int PublishSize(int topicLength, int payloadLength, byte qos)
        {
            return Framing.PacketSize(2 + topicLength + (qos > 0 ? 2 : 0) + payloadLength);
        }

        /// <summary>A PUBLISH whose topic and payload are in src; qos 0 needs no packet id.</summary>
        private bool WritePublish(int c, byte[] src, int topicOffset, int topicLength, int payloadOffset, int payloadLength,
            byte qos, bool dup, bool retain, ushort packetId)
        {
            int size = PublishSize(topicLength, payloadLength, qos);
            int at = _connections.TxClaim(c, size);
            if (at < 0)
            {
                return false;
            }

            PublishPacket.Encode(_connections.Tx ?? _connections.TxArray(c), at, size, qos, dup, retain, packetId,
                src, topicOffset, topicLength, src, payloadOffset, payloadLength);
            _counters.MessagesSent++;
            return true;
        }

        /// <summary>A PUBLISH of a message in the shared pool.</summary>
        private bool WriteStored(int c, int message, byte qos, bool dup, bool retain, ushort packetId)
        {
            return WritePublish(c, _pool.Data, _pool.TopicOffset(message), _pool.TopicLength(message),
                _pool.PayloadOffset(message), _pool.PayloadLength(message), qos, dup, retain, packetId);
        }

        private bool CanWriteStored(int c, int message, byte qos)
        {
            return _connections.TxCanClaim(c, PublishSize(_pool.TopicLength(message), _pool.PayloadLength(message), qos));
        }
    }
}
