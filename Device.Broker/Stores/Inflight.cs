namespace Device.Broker
{
    /// <summary>
    /// Outbound QoS 1/2 messages a session has sent and not yet seen acknowledged, capped per session.
    /// Each slot remembers its packet id (never reused while the slot is taken), where the handshake stands,
    /// and the order slots were filled in, because after a reconnect they must be resent in that order
    /// ([MQTT-4.4.0-1], [MQTT-4.6.0-1]).
    /// </summary>
    public sealed class Inflight
    {
        public const byte Free = 0;
        public const byte AwaitPuback = 1;
        public const byte AwaitPubrec = 2;

        /// <summary>PUBREC received, PUBREL sent (or owed): the message itself is no longer needed.</summary>
        public const byte AwaitPubcomp = 3;

        private readonly int _per;
        private readonly short[] _message;
        private readonly ushort[] _packetId;
        private readonly byte[] _state;
        private readonly bool[] _retain;
        private readonly bool[] _pending;
        private readonly int[] _order;
        private readonly int[] _nextOrder;
        private readonly ushort[] _lastPacketId;
        private readonly short[] _count;

        public Inflight(int sessions, int perSession)
        {
            _per = perSession;
            int n = sessions * perSession;
            _message = new short[n];
            _packetId = new ushort[n];
            _state = new byte[n];
            _retain = new bool[n];
            _pending = new bool[n];
            _order = new int[n];
            _nextOrder = new int[sessions];
            _lastPacketId = new ushort[sessions];
            _count = new short[sessions];
        }

        internal static void Measure(Footprint f, int sessions, int perSession)
        {
            int n = sessions * perSession;
            f.Object(10);
            f.Array(2, n);
            f.Array(2, n);
            f.Array(1, n);
            f.Array(1, n);
            f.Array(1, n);
            f.Array(4, n);
            f.Array(4, sessions);
            f.Array(2, sessions);
            f.Array(2, sessions);
        }

        public int Count(int s)
        {
            return _count[s];
        }

        public bool HasFree(int s)
        {
            return _count[s] < _per;
        }

        /// <summary>
        /// Takes a free slot for a message about to be written; assigns it a packet id no other slot of the
        /// session holds. Returns the slot, or -1 when all are taken.
        /// </summary>
        public int Add(int s, int message, byte state, bool retain)
        {
            if (_count[s] >= _per)
            {
                return -1;
            }

            int first = s * _per;
            int slot = -1;
            for (int i = first; i < first + _per; i++)
            {
                if (_state[i] == Free)
                {
                    slot = i;
                    break;
                }
            }

            _message[slot] = (short)message;
            _state[slot] = state;
            _retain[slot] = retain;
            _pending[slot] = false;
            _order[slot] = _nextOrder[s]++;
            _packetId[slot] = NextPacketId(s, first);
            _count[s]++;
            return slot;
        }

        /// <summary>The slot of session s waiting with this packet id, or -1.</summary>
        public int Find(int s, ushort packetId)
        {
            int first = s * _per;
            for (int i = first; i < first + _per; i++)
            {
                if (_state[i] != Free && _packetId[i] == packetId)
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>Frees the slot; the message reference, if any, is the caller's to release first.</summary>
        public void Remove(int slot)
        {
            _state[slot] = Free;
            _pending[slot] = false;
            _message[slot] = -1;
            _count[slot / _per]--;
        }

        public byte State(int slot)
        {
            return _state[slot];
        }

        /// <summary>PUBREC came: the message is done with, only PUBREL/PUBCOMP remain.</summary>
        public void ToAwaitPubcomp(int slot)
        {
            _state[slot] = AwaitPubcomp;
            _message[slot] = -1;
        }

        public int Message(int slot)
        {
            return _message[slot];
        }

        public ushort PacketId(int slot)
        {
            return _packetId[slot];
        }

        public bool Retain(int slot)
        {
            return _retain[slot];
        }

        /// <summary>Qos the message went out with: 1 while awaiting PUBACK, 2 otherwise.</summary>
        public byte Qos(int slot)
        {
            return _state[slot] == AwaitPuback ? (byte)1 : (byte)2;
        }

        public void SetPending(int slot, bool pending)
        {
            _pending[slot] = pending;
        }

        /// <summary>On session resumption every unacknowledged PUBLISH and every PUBREL is owed again.</summary>
        public void MarkAllPending(int s)
        {
            int first = s * _per;
            for (int i = first; i < first + _per; i++)
            {
                _pending[i] = _state[i] != Free;
            }
        }

        /// <summary>The oldest slot of session s that still has to be (re)sent, or -1.</summary>
        public int NextPending(int s)
        {
            int first = s * _per;
            int best = -1;
            for (int i = first; i < first + _per; i++)
            {
                // Order numbers wrap after 2^31 sends; differences stay correct while slots are fewer than that.
                if (_pending[i] && (best < 0 || _order[i] - _order[best] < 0))
                {
                    best = i;
                }
            }

            return best;
        }

        /// <summary>Empties every slot of session s, returning the messages' references to the store.</summary>
        public void Clear(int s, MessageStore store)
        {
            int first = s * _per;
            for (int i = first; i < first + _per; i++)
            {
                if (_state[i] != Free && _message[i] >= 0)
                {
                    store.Release(_message[i]);
                }

                _state[i] = Free;
                _pending[i] = false;
                _message[i] = -1;
            }

            _count[s] = 0;
            _nextOrder[s] = 0;
        }

        private ushort NextPacketId(int s, int first)
        {
            int id = _lastPacketId[s];
            while (true)
            {
                id = id >= 65535 ? 1 : id + 1;
                bool taken = false;
                for (int i = first; i < first + _per; i++)
                {
                    if (_state[i] != Free && _packetId[i] == id)
                    {
                        taken = true;
                        break;
                    }
                }

                if (!taken)
                {
                    _lastPacketId[s] = (ushort)id;
                    return (ushort)id;
                }
            }
        }
    }
}
