using Device.Protocol;

namespace Device.Broker
{
    /// <summary>
    /// Every subscription of every session: (session, topic filter, granted QoS). Filters are kept as UTF-8
    /// bytes in one arena; the subscription number is the filter's arena handle. Routing scans the table with
    /// each filter's <see cref="Topic.Signature"/> (kept in _signature, 2 bytes a subscription): a filter without
    /// wildcards is compared by signature and length, and byte by byte only when both agree; only a filter with
    /// wildcards goes through <see cref="Topic.Matches"/>. With tens of filters on a board a linear scan beats a
    /// tree or a hash table on memory and code size. A table of at least <see cref="IndexFrom"/> subscriptions (the PC's
    /// profile) also keeps a <see cref="SubscriptionIndex"/>, so a message visits the exact filters of its own signature
    /// and the wildcard ones instead of every subscription.
    /// </summary>
    public sealed class Subscriptions
    {
        private readonly ByteArena _filters;
        private readonly short[] _session;
        private readonly byte[] _qos;
        private readonly ushort[] _signature;
        private readonly short[] _perSession;

        // Null below IndexFrom (the board). It took the place of the per-session limit (now Add's parameter), so the
        // Device profile's budget is unchanged.
        private readonly SubscriptionIndex _index;

        /// <summary>From this many subscriptions up the table keeps a <see cref="SubscriptionIndex"/>.</summary>
        public const int IndexFrom = 1024;

        // The live subscription numbers, packed, so routing visits Count entries rather than Capacity.
        private readonly LiveList _live;

        public Subscriptions(int maxSubscriptions, int filterBytes, int sessions)
        {
            _filters = new ByteArena(filterBytes, maxSubscriptions);
            _session = new short[maxSubscriptions];
            _qos = new byte[maxSubscriptions];
            _signature = new ushort[maxSubscriptions];
            _perSession = new short[sessions];
            _live = new LiveList(maxSubscriptions);
            if (maxSubscriptions >= IndexFrom)
            {
                _index = new SubscriptionIndex(maxSubscriptions);
            }

            for (int i = 0; i < maxSubscriptions; i++)
            {
                _session[i] = -1;
            }
        }

        internal static void Measure(Footprint f, int maxSubscriptions, int filterBytes, int sessions)
        {
            f.Object(7);
            ByteArena.Measure(f, filterBytes, maxSubscriptions);
            f.Array(2, maxSubscriptions);
            f.Array(1, maxSubscriptions);
            f.Array(2, maxSubscriptions);
            f.Array(2, sessions);
            LiveList.Measure(f, maxSubscriptions);
            if (maxSubscriptions >= IndexFrom)
            {
                SubscriptionIndex.Measure(f, maxSubscriptions);
            }
        }

        /// <summary>Whether routing goes through the <see cref="SubscriptionIndex"/> (tables of IndexFrom and more).</summary>
        public bool Indexed { get { return _index != null; } }

        /// <summary>Subscriptions held now.</summary>
        public int Count { get { return _live.Count; } }

        public int Capacity { get { return _session.Length; } }

        /// <summary>The k-th live subscription number, 0 &lt;= k &lt; Count (the order changes as subscriptions go).</summary>
        public int At(int k)
        {
            return _live.At(k);
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

        /// <summary>The filters' bytes (for saving): subscription i's filter is at FilterOffset(i), FilterLength(i).</summary>
        public byte[] Filters { get { return _filters.Data; } }

        public int FilterOffset(int i)
        {
            return _filters.Offset(i);
        }

        public int FilterLength(int i)
        {
            return _filters.Length(i);
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
        /// for those. It runs over every subscription for every message, so it is written for the interpreter: the
        /// arrays in locals, the topic's signature computed once, a filter without wildcards rejected on its
        /// signature or length and confirmed by an inline byte compare, and one call (Topic.Matches) only for a filter
        /// with wildcards.
        /// </summary>
        public int Match(byte[] topic, int offset, int length, byte[] best, short[] touched)
        {
            if (_index != null)
            {
                return MatchIndexed(topic, offset, length, best, touched);
            }

            byte[] data = _filters.Data;
            int[] offsets = _filters.Offsets;
            int[] lengths = _filters.Lengths;
            short[] live = _live.Items;
            ushort[] signature = _signature;
            short[] session = _session;
            byte[] qos = _qos;
            int count = _live.Count;
            int wanted = Topic.Signature(topic, offset, length);
            int n = 0;
            for (int k = 0; k < count; k++)
            {
                int i = live[k];
                int sig = signature[i];
                if (sig != 0)
                {
                    if (sig != wanted || lengths[i] != length)
                    {
                        continue;
                    }

                    // Same signature and length: the bytes decide (a filter without wildcards is the name itself).
                    int f = offsets[i];
                    int j = 0;
                    while (j < length && data[f + j] == topic[offset + j])
                    {
                        j++;
                    }

                    if (j < length)
                    {
                        continue;
                    }
                }
                else if (!Topic.Matches(data, offsets[i], lengths[i], topic, offset, length))
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

        /// <summary>
        /// <see cref="Match"/> through the index: the chain of the topic's signature (exact filters, confirmed by length
        /// and bytes), then the filters with wildcards. The same sessions and QoS as the scan; only the order of
        /// touched may differ.
        /// </summary>
        private int MatchIndexed(byte[] topic, int offset, int length, byte[] best, short[] touched)
        {
            byte[] data = _filters.Data;
            int[] offsets = _filters.Offsets;
            int[] lengths = _filters.Lengths;
            ushort[] signature = _signature;
            short[] session = _session;
            byte[] qos = _qos;
            short[] next = _index.Next;
            int wanted = Topic.Signature(topic, offset, length);
            int n = 0;
            for (int i = _index.Head[wanted >> 1]; i >= 0; i = next[i])
            {
                if (signature[i] != wanted || lengths[i] != length)
                {
                    continue;
                }

                int f = offsets[i];
                int j = 0;
                while (j < length && data[f + j] == topic[offset + j])
                {
                    j++;
                }

                if (j < length)
                {
                    continue;
                }

                n = Raise(session[i], qos[i], best, touched, n);
            }

            LiveList wild = _index.Wild;
            short[] items = wild.Items;
            int count = wild.Count;
            for (int k = 0; k < count; k++)
            {
                int i = items[k];
                if (Topic.Matches(data, offsets[i], lengths[i], topic, offset, length))
                {
                    n = Raise(session[i], qos[i], best, touched, n);
                }
            }

            return n;
        }

        /// <summary>As Match's inline step: session s matched at granted; returns touched's new count.</summary>
        private static int Raise(int s, byte granted, byte[] best, short[] touched, int n)
        {
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

            return n;
        }

        /// <summary>The subscription of session s with exactly this filter, or -1.</summary>
        public int Find(int s, byte[] filter, int offset, int length)
        {
            if (_perSession[s] == 0)
            {
                return -1;
            }

            int count = _live.Count;
            for (int k = 0; k < count; k++)
            {
                int i = _live.At(k);
                if (_session[i] == s && _filters.Length(i) == length
                    && Utf8.Equals(_filters.Data, _filters.Offset(i), length, filter, offset, length))
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>Adds or replaces; a session may hold at most maxPerSession (BrokerOptions.MaxSubscriptionsPerClient).</summary>
        public SubscribeResult Add(int s, byte[] filter, int offset, int length, byte qos, int maxPerSession)
        {
            int existing = Find(s, filter, offset, length);
            if (existing >= 0)
            {
                _qos[existing] = qos;
                return SubscribeResult.Replaced;
            }

            if (_perSession[s] >= maxPerSession)
            {
                return SubscribeResult.SessionFull;
            }

            int h = _filters.Alloc(length);
            if (h < 0)
            {
                return SubscribeResult.TableFull;
            }

            System.Array.Copy(filter, offset, _filters.Data, _filters.Offset(h), length);
            _session[h] = (short)s;
            _qos[h] = qos;
            _signature[h] = (ushort)Topic.Signature(filter, offset, length);
            _perSession[s]++;
            _live.Add(h);
            if (_index != null)
            {
                _index.Add(h, _signature[h]);
            }

            return SubscribeResult.Added;
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
            for (int k = _live.Count - 1; k >= 0; k--)
            {
                if (k < _live.Count && _session[_live.At(k)] == s)
                {
                    Free(_live.At(k));
                }
            }
        }

        private void Free(int i)
        {
            _perSession[_session[i]]--;
            _session[i] = -1;
            _filters.Free(i);
            _live.Remove(i);
            if (_index != null)
            {
                _index.Remove(i, _signature[i]);
            }
        }
    }
}
