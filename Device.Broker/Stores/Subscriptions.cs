using Device.Protocol;

namespace Device.Broker
{
    /// <summary>
    /// Every subscription of every session: (session, topic filter, granted QoS). Filters are kept as UTF-8
    /// bytes in one arena; the subscription number is the filter's arena handle. Routing scans the table and
    /// matches each filter with <see cref="Topic.Matches"/>: with tens of filters on a board a linear scan
    /// beats a tree on memory and code size, and on a PC it stays O(subscriptions) per message.
    /// </summary>
    public sealed class Subscriptions
    {
        public const int Added = 0;

        /// <summary>The session already had this exact filter: its QoS was replaced ([MQTT-3.8.4-3]).</summary>
        public const int Replaced = 1;

        /// <summary>MaxSubscriptions or SubscriptionBytes reached.</summary>
        public const int TableFull = 2;

        /// <summary>MaxSubscriptionsPerClient reached.</summary>
        public const int SessionFull = 3;

        private readonly ByteArena _filters;
        private readonly short[] _session;
        private readonly byte[] _qos;
        private readonly short[] _perSession;
        private readonly int _maxPerSession;

        // The live subscription numbers, packed, so routing visits Count entries rather than Capacity.
        private readonly short[] _live;
        private readonly short[] _livePosition;
        private int _count;

        public Subscriptions(int maxSubscriptions, int filterBytes, int sessions, int maxPerSession)
        {
            _filters = new ByteArena(filterBytes, maxSubscriptions);
            _session = new short[maxSubscriptions];
            _qos = new byte[maxSubscriptions];
            _perSession = new short[sessions];
            _maxPerSession = maxPerSession;
            _live = new short[maxSubscriptions];
            _livePosition = new short[maxSubscriptions];
            for (int i = 0; i < maxSubscriptions; i++)
            {
                _session[i] = -1;
            }
        }

        internal static void Measure(Footprint f, int maxSubscriptions, int filterBytes, int sessions)
        {
            f.Object(8);
            ByteArena.Measure(f, filterBytes, maxSubscriptions);
            f.Array(2, maxSubscriptions);
            f.Array(1, maxSubscriptions);
            f.Array(2, sessions);
            f.Array(2, maxSubscriptions);
            f.Array(2, maxSubscriptions);
        }

        /// <summary>Subscriptions held now.</summary>
        public int Count { get { return _count; } }

        public int Capacity { get { return _session.Length; } }

        /// <summary>The k-th live subscription number, 0 &lt;= k &lt; Count (the order changes as subscriptions go).</summary>
        public int At(int k)
        {
            return _live[k];
        }

        public int CountFor(int s)
        {
            return _perSession[s];
        }

        /// <summary>The session subscription i belongs to, or -1 when i is free.</summary>
        public int Session(int i)
        {
            return _session[i];
        }

        public byte Qos(int i)
        {
            return _qos[i];
        }

        public bool Matches(int i, byte[] topic, int offset, int length)
        {
            return Topic.Matches(_filters.Data, _filters.Offset(i), _filters.Length(i), topic, offset, length);
        }

        /// <summary><see cref="Match"/>'s mark for a session no subscription has matched yet.</summary>
        public const byte NoMatch = 0xFF;

        /// <summary>
        /// The routing scan: for every subscription whose filter matches the topic name, raises best[session] to the
        /// QoS it was granted (one copy per client at the highest QoS among its matches, [MQTT-3.3.5-1]); a session
        /// still at NoMatch is appended to touched. Returns how many were appended. The caller resets best to NoMatch
        /// for those. Written with the arrays in locals and one call per subscription (Topic.Matches): it runs over
        /// every subscription for every message.
        /// </summary>
        public int Match(byte[] topic, int offset, int length, byte[] best, short[] touched)
        {
            byte[] data = _filters.Data;
            int[] offsets = _filters.Offsets;
            int[] lengths = _filters.Lengths;
            short[] live = _live;
            short[] session = _session;
            byte[] qos = _qos;
            int count = _count;
            int n = 0;
            for (int k = 0; k < count; k++)
            {
                int i = live[k];
                if (!Topic.Matches(data, offsets[i], lengths[i], topic, offset, length))
                {
                    continue;
                }

                int s = session[i];
                byte granted = qos[i];
                byte current = best[s];
                if (current == NoMatch)
                {
                    touched[n++] = (short)s;
                    best[s] = granted;
                }
                else if (granted > current)
                {
                    best[s] = granted;
                }
            }

            return n;
        }

        /// <summary>The subscription of session s with exactly this filter, or -1.</summary>
        public int Find(int s, byte[] filter, int offset, int length)
        {
            if (_perSession[s] == 0)
            {
                return -1;
            }

            for (int k = 0; k < _count; k++)
            {
                int i = _live[k];
                if (_session[i] == s && _filters.Length(i) == length
                    && Utf8.Equals(_filters.Data, _filters.Offset(i), length, filter, offset, length))
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>Adds or replaces; returns Added, Replaced, TableFull or SessionFull.</summary>
        public int Add(int s, byte[] filter, int offset, int length, byte qos)
        {
            int existing = Find(s, filter, offset, length);
            if (existing >= 0)
            {
                _qos[existing] = qos;
                return Replaced;
            }

            if (_perSession[s] >= _maxPerSession)
            {
                return SessionFull;
            }

            int h = _filters.Alloc(length);
            if (h < 0)
            {
                return TableFull;
            }

            System.Array.Copy(filter, offset, _filters.Data, _filters.Offset(h), length);
            _session[h] = (short)s;
            _qos[h] = qos;
            _perSession[s]++;
            _live[_count] = (short)h;
            _livePosition[h] = (short)_count;
            _count++;
            return Added;
        }

        /// <summary>Removes session s's subscription with this filter; false when there was none.</summary>
        public bool Remove(int s, byte[] filter, int offset, int length)
        {
            int i = Find(s, filter, offset, length);
            if (i < 0)
            {
                return false;
            }

            Free(i);
            return true;
        }

        public void RemoveAll(int s)
        {
            if (_perSession[s] == 0)
            {
                return;
            }

            // Backwards: Free moves the last live entry into the freed position.
            for (int k = _count - 1; k >= 0; k--)
            {
                if (k < _count && _session[_live[k]] == s)
                {
                    Free(_live[k]);
                }
            }
        }

        private void Free(int i)
        {
            _perSession[_session[i]]--;
            _session[i] = -1;
            _filters.Free(i);
            int position = _livePosition[i];
            int last = _live[--_count];
            _live[position] = (short)last;
            _livePosition[last] = (short)position;
        }
    }
}
