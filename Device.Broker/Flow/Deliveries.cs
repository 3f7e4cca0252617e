namespace Device.Broker
{
    /// <summary>
    /// What every session owes its client, from one pool of delivery entries shared by the whole broker (so one
    /// busy subscriber can use what idle ones do not). Per session the entries form one list in the order the
    /// messages were routed: first the ones in flight (sent, awaiting PUBACK, PUBREC or PUBCOMP; at most the
    /// session's window), then the ones queued (not sent yet: the window was full, the transmit buffer was, or the
    /// client is away). The in-flight entries are always a prefix, since a queued entry is only ever sent from the
    /// front; so the list order is also the order of resends after a reconnect ([MQTT-4.4.0-1], [MQTT-4.6.0-1]).
    /// Each entry holds one reference on its message in <see cref="MessagePool"/> (none once PUBREC has come).
    /// </summary>
    public sealed class Deliveries
    {
        public const byte Free = 0;
        public const byte AwaitPuback = 1;
        public const byte AwaitPubrec = 2;

        /// <summary>PUBREC received, PUBREL sent (or owed): the message itself is no longer needed.</summary>
        public const byte AwaitPubcomp = 3;

        /// <summary>Not sent yet.</summary>
        public const byte Queued = 4;

        private const byte QosMask = 0x03;
        private const byte RetainFlag = 0x04;
        private const byte PendingFlag = 0x08;

        // Entries.
        private readonly int[] _next;
        private readonly int[] _message;
        private readonly ushort[] _packetId;
        private readonly byte[] _state;
        private readonly byte[] _flags;
        private int _freeHead;
        private int _used;

        // Sessions.
        private readonly int[] _head;
        private readonly int[] _tail;
        private readonly int[] _lastInflight;
        private readonly short[] _inflight;
        private readonly int[] _queued;
        private readonly int[] _queuedBytes;
        private readonly ushort[] _lastPacketId;

        // Where entry changes are reported (Persisting.cs); null when nothing is saved.
        private IPersistence _log;
        private MessagePool _pool;

        public Deliveries(int entries, int sessions)
        {
            _next = new int[entries];
            _message = new int[entries];
            _packetId = new ushort[entries];
            _state = new byte[entries];
            _flags = new byte[entries];
            for (int i = 0; i < entries; i++)
            {
                _next[i] = i + 1 < entries ? i + 1 : -1;
                _message[i] = -1;
            }

            _freeHead = entries > 0 ? 0 : -1;
            _head = new int[sessions];
            _tail = new int[sessions];
            _lastInflight = new int[sessions];
            _inflight = new short[sessions];
            _queued = new int[sessions];
            _queuedBytes = new int[sessions];
            _lastPacketId = new ushort[sessions];
            for (int s = 0; s < sessions; s++)
            {
                _head[s] = -1;
                _tail[s] = -1;
                _lastInflight[s] = -1;
            }
        }

        internal static void Measure(Footprint f, int entries, int sessions)
        {
            f.Object(16);
            f.Array(4, entries);
            f.Array(4, entries);
            f.Array(2, entries);
            f.Array(1, entries);
            f.Array(1, entries);
            f.Array(4, sessions);
            f.Array(4, sessions);
            f.Array(4, sessions);
            f.Array(2, sessions);
            f.Array(4, sessions);
            f.Array(4, sessions);
            f.Array(2, sessions);
        }

        /// <summary>Entries of the pool.</summary>
        public int Capacity { get { return _next.Length; } }

        /// <summary>Entries in use by all sessions together.</summary>
        public int Used { get { return _used; } }

        public int Available { get { return _next.Length - _used; } }

        /// <summary>
        /// No entry in use anywhere (so the message pool is empty too) and room for this many: every connected
        /// subscriber can then take a message now or as the first entry of its queue (BrokerEngine's QoS 0 fast path).
        /// </summary>
        public bool Idle(int needed)
        {
            return _used == 0 && needed <= _next.Length;
        }

        public int Inflight(int s)
        {
            return _inflight[s];
        }

        public int QueuedCount(int s)
        {
            return _queued[s];
        }

        /// <summary>Topic and payload bytes of the queued (not yet sent) entries.</summary>
        public int QueuedBytes(int s)
        {
            return _queuedBytes[s];
        }

        public int Count(int s)
        {
            return _inflight[s] + _queued[s];
        }

        /// <summary>Every entry change from now on is reported to log (the pool gives the message bytes).</summary>
        public void Attach(IPersistence log, MessagePool pool)
        {
            _log = log;
            _pool = pool;
        }

        // ---- Adding --------------------------------------------------------------------------------

        /// <summary>
        /// Appends an entry about to be written now (queue empty, window not full): it gets a packet id no other
        /// in-flight entry of the session holds. The caller's reference on the message passes to it. -1 when the
        /// pool is empty.
        /// </summary>
        public int AddInflight(int s, int message, byte state, bool retain)
        {
            int e = Take();
            if (e < 0)
            {
                return -1;
            }

            _message[e] = message;
            _state[e] = state;
            _flags[e] = (byte)((state == AwaitPuback ? 1 : 2) | (retain ? RetainFlag : 0));
            _packetId[e] = NextPacketId(s);
            Append(s, e);
            _lastInflight[s] = e;
            _inflight[s]++;
            Added(s, e);
            return e;
        }

        /// <summary>
        /// A saved entry back at the end of session s's list (restore): in flight ones pending a resend. False when the
        /// pool is empty, or for an in-flight entry after a queued one (the in-flight entries are a prefix).
        /// </summary>
        public bool Restore(int s, int message, byte qos, byte state, ushort packetId, bool retain, int bytes)
        {
            if (state == Queued)
            {
                return Enqueue(s, message, qos, retain, bytes);
            }

            if (_queued[s] > 0)
            {
                return false;
            }

            int e = Take();
            if (e < 0)
            {
                return false;
            }

            _message[e] = message;
            _state[e] = state;
            _flags[e] = (byte)(qos | (retain ? RetainFlag : 0) | PendingFlag);
            _packetId[e] = packetId;
            _lastPacketId[s] = packetId;
            Append(s, e);
            _lastInflight[s] = e;
            _inflight[s]++;
            return true;
        }

        /// <summary>Appends a queued entry; the caller's reference on the message passes to it. False when the pool is empty.</summary>
        public bool Enqueue(int s, int message, byte qos, bool retain, int bytes)
        {
            int e = Take();
            if (e < 0)
            {
                return false;
            }

            _message[e] = message;
            _state[e] = Queued;
            _flags[e] = (byte)(qos | (retain ? RetainFlag : 0));
            _packetId[e] = 0;
            Append(s, e);
            _queued[s]++;
            _queuedBytes[s] += bytes;
            Added(s, e);
            return true;
        }

        // ---- The queued part -----------------------------------------------------------------------

        /// <summary>The oldest queued entry of session s, or -1.</summary>
        public int FirstQueued(int s)
        {
            return _queued[s] == 0 ? -1 : (_lastInflight[s] >= 0 ? _next[_lastInflight[s]] : _head[s]);
        }

        /// <summary>The oldest entry of session s (in flight if any is), or -1.</summary>
        public int First(int s)
        {
            return _head[s];
        }

        /// <summary>The entry after e in its session's list, or -1.</summary>
        public int Next(int e)
        {
            return _next[e];
        }

        /// <summary>The oldest queued entry goes out now as a QoS 1/2 delivery: it joins the in-flight prefix with a packet id.</summary>
        public void Promote(int s, int bytes)
        {
            int e = FirstQueued(s);
            byte qos = (byte)(_flags[e] & QosMask);
            _state[e] = qos == 1 ? AwaitPuback : AwaitPubrec;
            _flags[e] = (byte)(_flags[e] & ~PendingFlag);
            _packetId[e] = NextPacketId(s);
            _lastInflight[s] = e;
            _queued[s]--;
            _queuedBytes[s] -= bytes;
            _inflight[s]++;
            if (_log != null)
            {
                _log.DeliveryChanged(e, _state[e], _packetId[e]);
            }
        }

        /// <summary>Removes a queued entry (sent at QoS 0, or dropped); its message reference passes to the caller.</summary>
        public void RemoveQueued(int s, int e, int bytes)
        {
            Unlink(s, e);
            _queued[s]--;
            _queuedBytes[s] -= bytes;
            Give(e);
        }

        // ---- The in-flight part --------------------------------------------------------------------

        /// <summary>The in-flight entry of session s with this packet id, or -1.</summary>
        public int Find(int s, ushort packetId)
        {
            int e = _head[s];
            for (int k = 0; k < _inflight[s]; k++)
            {
                if (_packetId[e] == packetId)
                {
                    return e;
                }

                e = _next[e];
            }

            return -1;
        }

        /// <summary>Frees an in-flight entry; its message reference, if any, is the caller's to release first.</summary>
        public void RemoveInflight(int s, int e)
        {
            Unlink(s, e);
            _inflight[s]--;
            Give(e);
        }

        public byte State(int e)
        {
            return _state[e];
        }

        /// <summary>PUBREC came: the message is done with, only PUBREL/PUBCOMP remain.</summary>
        public void ToAwaitPubcomp(int e)
        {
            _state[e] = AwaitPubcomp;
            _message[e] = -1;
            if (_log != null)
            {
                _log.DeliveryChanged(e, AwaitPubcomp, _packetId[e]);
            }
        }

        public int Message(int e)
        {
            return _message[e];
        }

        public ushort PacketId(int e)
        {
            return _packetId[e];
        }

        public bool Retain(int e)
        {
            return (_flags[e] & RetainFlag) != 0;
        }

        /// <summary>The QoS the entry is delivered at.</summary>
        public byte Qos(int e)
        {
            return (byte)(_flags[e] & QosMask);
        }

        public void SetPending(int e, bool pending)
        {
            _flags[e] = (byte)(pending ? _flags[e] | PendingFlag : _flags[e] & ~PendingFlag);
        }

        /// <summary>On session resumption every unacknowledged PUBLISH and every PUBREL is owed again.</summary>
        public void MarkAllPending(int s)
        {
            int e = _head[s];
            for (int k = 0; k < _inflight[s]; k++)
            {
                SetPending(e, true);
                e = _next[e];
            }
        }

        /// <summary>The oldest in-flight entry of session s that still has to be (re)sent, or -1.</summary>
        public int NextPending(int s)
        {
            int e = _head[s];
            for (int k = 0; k < _inflight[s]; k++)
            {
                if ((_flags[e] & PendingFlag) != 0)
                {
                    return e;
                }

                e = _next[e];
            }

            return -1;
        }

        // ---- Whole sessions ------------------------------------------------------------------------

        /// <summary>Empties session s, returning the messages' references to the pool; how many messages it had not delivered.</summary>
        public int Clear(int s, MessagePool pool)
        {
            int n = 0;
            int e = _head[s];
            while (e >= 0)
            {
                int next = _next[e];
                if (_message[e] >= 0)
                {
                    pool.Release(_message[e]);
                    n++;
                }

                Give(e);
                e = next;
            }

            _head[s] = -1;
            _tail[s] = -1;
            _lastInflight[s] = -1;
            _inflight[s] = 0;
            _queued[s] = 0;
            _queuedBytes[s] = 0;
            return n;
        }

        /// <summary>
        /// The session's client went away: of its queued entries it keeps, oldest first, what the offline limits
        /// allow (at most maxMessages and, when maxBytes is above 0, maxBytes; QoS 0 only when keepQos0), and
        /// gives the rest back. In-flight entries are owed resends and always stay. One walk, whatever the length.
        /// </summary>
        public void TrimQueued(int s, MessagePool pool, int maxMessages, int maxBytes, bool keepQos0, out int droppedQos0, out int droppedOverLimit)
        {
            droppedQos0 = 0;
            droppedOverLimit = 0;
            int prev = _lastInflight[s];
            int e = prev >= 0 ? _next[prev] : _head[s];
            int kept = 0;
            int keptBytes = 0;
            while (e >= 0)
            {
                int next = _next[e];
                int message = _message[e];
                int bytes = pool.Length(message);
                bool qos0 = (_flags[e] & QosMask) == 0;
                if ((qos0 && !keepQos0) || kept >= maxMessages || (maxBytes > 0 && keptBytes + bytes > maxBytes))
                {
                    if (qos0 && !keepQos0)
                    {
                        droppedQos0++;
                    }
                    else
                    {
                        droppedOverLimit++;
                    }

                    if (prev >= 0)
                    {
                        _next[prev] = next;
                    }
                    else
                    {
                        _head[s] = next;
                    }

                    if (_tail[s] == e)
                    {
                        _tail[s] = prev;
                    }

                    pool.Release(message);
                    Give(e);
                }
                else
                {
                    kept++;
                    keptBytes += bytes;
                    prev = e;
                }

                e = next;
            }

            _queued[s] = kept;
            _queuedBytes[s] = keptBytes;
        }

        // ---- Internals -----------------------------------------------------------------------------

        private void Added(int s, int e)
        {
            if (_log == null)
            {
                return;
            }

            int m = _message[e];
            _log.DeliveryAdded(s, e, _pool.Data, _pool.TopicOffset(m), _pool.TopicLength(m), _pool.PayloadOffset(m), _pool.PayloadLength(m),
                m, (byte)(_flags[e] & QosMask), _state[e], _packetId[e], (_flags[e] & RetainFlag) != 0);
        }

        private int Take()
        {
            int e = _freeHead;
            if (e < 0)
            {
                return -1;
            }

            _freeHead = _next[e];
            _next[e] = -1;
            _used++;
            return e;
        }

        private void Give(int e)
        {
            if (_log != null)
            {
                _log.DeliveryRemoved(e);
            }

            _state[e] = Free;
            _message[e] = -1;
            _flags[e] = 0;
            _next[e] = _freeHead;
            _freeHead = e;
            _used--;
        }

        private void Append(int s, int e)
        {
            _next[e] = -1;
            if (_tail[s] >= 0)
            {
                _next[_tail[s]] = e;
            }
            else
            {
                _head[s] = e;
            }

            _tail[s] = e;
        }

        /// <summary>Takes e out of session s's list (a walk from the head: in-flight entries are at most the window).</summary>
        private void Unlink(int s, int e)
        {
            int prev = -1;
            int cur = _head[s];
            while (cur != e)
            {
                prev = cur;
                cur = _next[cur];
            }

            int next = _next[e];
            if (prev >= 0)
            {
                _next[prev] = next;
            }
            else
            {
                _head[s] = next;
            }

            if (_tail[s] == e)
            {
                _tail[s] = prev;
            }

            if (_lastInflight[s] == e)
            {
                _lastInflight[s] = prev;
            }
        }

        private ushort NextPacketId(int s)
        {
            int id = _lastPacketId[s];
            while (true)
            {
                id = id >= 65535 ? 1 : id + 1;
                if (Find(s, (ushort)id) < 0)
                {
                    _lastPacketId[s] = (ushort)id;
                    return (ushort)id;
                }
            }
        }
    }
}
