using Device.Protocol;

namespace Device.Broker
{
    /// <summary>
    /// Writing packets into a connection's transmit buffer with the codec's encoders. Each writer claims
    /// exactly the packet's size first and returns false, writing nothing, when it does not fit.
    /// </summary>
    public sealed partial class BrokerEngine
    {
        private bool WriteConnack(int c, bool sessionPresent, byte code)
        {
            int at = _connections.TxClaim(c, ConnackPacket.Size);
            if (at < 0)
            {
                return false;
            }

            ConnackPacket.Encode(_connections.Tx, at, ConnackPacket.Size, sessionPresent, code);
            return true;
        }

        private bool WriteAck(int c, byte type, ushort packetId)
        {
            int at = _connections.TxClaim(c, AckPacket.Size);
            if (at < 0)
            {
                return false;
            }

            AckPacket.Encode(_connections.Tx, at, AckPacket.Size, type, packetId);
            return true;
        }

        private bool WriteEmpty(int c, byte type)
        {
            int at = _connections.TxClaim(c, EmptyPacket.Size);
            if (at < 0)
            {
                return false;
            }

            EmptyPacket.Encode(_connections.Tx, at, EmptyPacket.Size, type);
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

            SubackPacket.Encode(_connections.Tx, at, size, packetId, codes, 0, count);
            return true;
        }

        /// <summary>Framing.PacketSize of a PUBLISH, written out: it runs for every delivery.</summary>
        private static int PublishSize(int topicLength, int payloadLength, byte qos)
        {
            int remaining = 2 + topicLength + (qos > 0 ? 2 : 0) + payloadLength;
            return (remaining < 128 ? 2 : remaining < 16384 ? 3 : remaining < 2097152 ? 4 : 5) + remaining;
        }

        /// <summary>A PUBLISH whose topic and payload are in src; qos 0 needs no packet id. Returns where it was written in Tx, or -1.</summary>
        private int WritePublish(int c, byte[] src, int topicOffset, int topicLength, int payloadOffset, int payloadLength,
            byte qos, bool dup, bool retain, ushort packetId)
        {
            int size = PublishSize(topicLength, payloadLength, qos);
            int at = _connections.TxClaim(c, size);
            if (at < 0)
            {
                return -1;
            }

            PublishPacket.Encode(_connections.Tx, at, size, qos, dup, retain, packetId,
                src, topicOffset, topicLength, src, payloadOffset, payloadLength);
            _counters.MessagesSent++;
            return at;
        }

        /// <summary>A PUBLISH of a message in the shared store.</summary>
        private bool WriteStored(int c, int message, byte qos, bool dup, bool retain, ushort packetId)
        {
            return WritePublish(c, _store.Data, _store.TopicOffset(message), _store.TopicLength(message),
                _store.PayloadOffset(message), _store.PayloadLength(message), qos, dup, retain, packetId) >= 0;
        }

        private bool CanWriteStored(int c, int message, byte qos)
        {
            return _connections.TxCanClaim(c, PublishSize(_store.TopicLength(message), _store.PayloadLength(message), qos));
        }
    }
}
