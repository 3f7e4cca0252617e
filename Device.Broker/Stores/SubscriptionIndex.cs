namespace Device.Broker
{
    /// <summary>
    /// The PC's routing index over <see cref="Subscriptions"/> (made only for tables of at least
    /// <see cref="Subscriptions.IndexFrom"/> subscriptions, so never on the board): each filter without wildcards is
    /// chained under its <see cref="Device.Protocol.Topic.Signature"/> (Buckets chains, one per signature value), and the
    /// filters with wildcards are kept apart in a packed list. A message then visits the few exact filters of its own
    /// signature and the wildcard ones, not every subscription: with 10,000 clients each subscribed to a topic of its
    /// own the linear scan was 10,000 filters per message, most of the broker's CPU at 10,000 msg/s (docs/BENCHMARKS.md).
    /// </summary>
    public sealed class SubscriptionIndex
    {
        /// <summary>One chain per signature: the signature is odd and 16 bits wide, so its upper 15 bits name the chain.</summary>
        public const int Buckets = 1 << 15;

        // Per chain: its first subscription (-1: none); per subscription: the next in its chain.
        private readonly short[] _head;
        private readonly short[] _next;

        // The subscriptions whose filters have wildcards (signature 0), packed.
        private readonly LiveList _wild;

        public SubscriptionIndex(int maxSubscriptions)
        {
            _head = new short[Buckets];
            _next = new short[maxSubscriptions];
            _wild = new LiveList(maxSubscriptions);
            for (int b = 0; b < Buckets; b++)
            {
                _head[b] = -1;
            }
        }

        internal static void Measure(Footprint f, int maxSubscriptions)
        {
            f.Object(3);
            f.Array(2, Buckets);
            f.Array(2, maxSubscriptions);
            LiveList.Measure(f, maxSubscriptions);
        }

        public short[] Head { get { return _head; } }

        public short[] Next { get { return _next; } }

        public LiveList Wild { get { return _wild; } }

        /// <summary>Subscription i, with filter signature sig, joins the index.</summary>
        public void Add(int i, int sig)
        {
            if (sig == 0)
            {
                _wild.Add(i);
                return;
            }

            int b = sig >> 1;
            _next[i] = _head[b];
            _head[b] = (short)i;
        }

        /// <summary>Subscription i, added with signature sig, leaves the index.</summary>
        public void Remove(int i, int sig)
        {
            if (sig == 0)
            {
                _wild.Remove(i);
                return;
            }

            int b = sig >> 1;
            if (_head[b] == i)
            {
                _head[b] = _next[i];
                return;
            }

            for (int k = _head[b]; k >= 0; k = _next[k])
            {
                if (_next[k] == i)
                {
                    _next[k] = _next[i];
                    return;
                }
            }
        }
    }
}
