using Device.Protocol;

namespace Device.Broker
{
    /// <summary>
    /// The app's own subscriptions: a topic filter and the handler it calls, in slots sized at start-up
    /// (BrokerOptions.LocalSubscriptions, filters in LocalFilterBytes). A subscription's id is its arena handle.
    /// They belong to no session: no queue, no QoS flow, no ACL (the app is trusted with its own broker).
    /// </summary>
    public sealed class LocalSubscriptions
    {
        private readonly ByteArena _filters;
        private readonly IMessageHandler[] _handlers;
        private int _count;

        public LocalSubscriptions(int slots, int filterBytes)
        {
            _filters = new ByteArena(filterBytes, slots);
            _handlers = new IMessageHandler[slots];
        }

        internal static void Measure(Footprint f, int slots, int filterBytes)
        {
            f.Object(3);
            ByteArena.Measure(f, filterBytes, slots);
            f.References(slots);
        }

        public int Count { get { return _count; } }

        public int Capacity { get { return _handlers.Length; } }

        /// <summary>Stores the filter; returns the subscription id, or -1 when the slots or the bytes are used up.</summary>
        public int Add(byte[] filter, int offset, int length, IMessageHandler handler)
        {
            int h = _filters.Alloc(length);
            if (h < 0)
            {
                return -1;
            }

            System.Array.Copy(filter, offset, _filters.Data, _filters.Offset(h), length);
            _handlers[h] = handler;
            _count++;
            return h;
        }

        /// <summary>Stores a filter given as text (UTF-8, no allocation); -1 when it does not fit.</summary>
        public int Add(string filter, IMessageHandler handler)
        {
            int length = Utf8.ByteCount(filter);
            int h = _filters.Alloc(length);
            if (h < 0)
            {
                return -1;
            }

            Utf8.Encode(filter, _filters.Data, _filters.Offset(h));
            _handlers[h] = handler;
            _count++;
            return h;
        }

        public bool Remove(int id)
        {
            if ((uint)id >= (uint)_handlers.Length || _handlers[id] == null)
            {
                return false;
            }

            _filters.Free(id);
            _handlers[id] = null;
            _count--;
            return true;
        }

        public bool InUse(int id)
        {
            return (uint)id < (uint)_handlers.Length && _handlers[id] != null;
        }

        public IMessageHandler Handler(int id)
        {
            return _handlers[id];
        }

        public bool Matches(int id, byte[] topic, int topicOffset, int topicLength)
        {
            return Topic.Matches(_filters.Data, _filters.Offset(id), _filters.Length(id), topic, topicOffset, topicLength);
        }

        /// <summary>Validates a stored filter (4.7.1); a bad one is removed again by the caller.</summary>
        public DecodeResult Validate(int id)
        {
            return Topic.ValidateFilter(_filters.Data, _filters.Offset(id), _filters.Length(id));
        }

        public int FilterLength(int id)
        {
            return _filters.Length(id);
        }
    }
}
