using Device.Protocol;

namespace Device.Client
{
    public sealed partial class MqttClient
    {
        /// <summary>Queues one SUBSCRIBE for filters[0..count) at qos[0..count); Subscribed reports the SUBACK.</summary>
        public ClientResult Subscribe(byte[][] filters, byte[] qos, int count, out ushort packetId)
        {
            packetId = 0;
            if (_state != ClientState.Connected)
            {
                return ClientResult.WrongState;
            }

            if (filters == null || qos == null || count <= 0 || count > filters.Length || count > qos.Length)
            {
                return ClientResult.InvalidArgument;
            }

            for (int i = 0; i < count; i++)
            {
                ClientResult r = CheckFilter(filters[i]);
                if (r != ClientResult.Ok)
                {
                    return r;
                }

                if (qos[i] > 2)
                {
                    return ClientResult.InvalidQos;
                }
            }

            int slot = _inflight.FindFree();
            if (slot < 0)
            {
                return ClientResult.InflightFull;
            }

            ushort id = _inflight.NextPacketId();
            int n = SubscribePacket.Encode(_tx, _txCount, _tx.Length - _txCount, id, filters, qos, count);
            ClientResult fit = Fits(n);
            if (fit != ClientResult.Ok)
            {
                return fit;
            }

            _inflight.Take(slot, id, InflightTable.AwaitSuback, count, _now);
            packetId = id;
            Emit(n);
            return ClientResult.Ok;
        }

        /// <summary>Queues one UNSUBSCRIBE for filters[0..count); Unsubscribed reports the UNSUBACK.</summary>
        public ClientResult Unsubscribe(byte[][] filters, int count, out ushort packetId)
        {
            packetId = 0;
            if (_state != ClientState.Connected)
            {
                return ClientResult.WrongState;
            }

            if (filters == null || count <= 0 || count > filters.Length)
            {
                return ClientResult.InvalidArgument;
            }

            for (int i = 0; i < count; i++)
            {
                ClientResult r = CheckFilter(filters[i]);
                if (r != ClientResult.Ok)
                {
                    return r;
                }
            }

            int slot = _inflight.FindFree();
            if (slot < 0)
            {
                return ClientResult.InflightFull;
            }

            ushort id = _inflight.NextPacketId();
            int n = UnsubscribePacket.Encode(_tx, _txCount, _tx.Length - _txCount, id, filters, count);
            ClientResult fit = Fits(n);
            if (fit != ClientResult.Ok)
            {
                return fit;
            }

            _inflight.Take(slot, id, InflightTable.AwaitUnsuback, count, _now);
            packetId = id;
            Emit(n);
            return ClientResult.Ok;
        }

        private ClientResult CheckFilter(byte[] filter)
        {
            if (filter == null || filter.Length > 65535)
            {
                return ClientResult.InvalidArgument;
            }

            return Topic.ValidateFilter(filter, 0, filter.Length) == DecodeResult.Ok ? ClientResult.Ok : ClientResult.InvalidTopic;
        }

        /// <summary>Maps an Encode result (bytes, or minus the size needed) to the caller's verdict.</summary>
        private ClientResult Fits(int encoded)
        {
            if (encoded >= 0)
            {
                return ClientResult.Ok;
            }

            return -encoded > _tx.Length ? ClientResult.TooLarge : ClientResult.TransmitBufferFull;
        }
    }
}
