using Device.Protocol;

namespace Device.Broker
{
    /// <summary>
    /// The connection slots: state, timers and the two buffers of each connection. All receive buffers are
    /// windows of one array, all transmit buffers windows of another, so the whole table is a handful of
    /// allocations however many clients there are.
    ///
    /// Receive: the transport writes at the end of the unread bytes; complete packets are decoded in place and
    /// the leftover partial packet is moved to the front.
    /// Transmit: a two-region ring ("bip buffer"): every packet is written contiguously, either after the
    /// last one or, when the end is reached, at the front ahead of the unsent bytes. Bytes never move once
    /// written, so a region handed to the transport by PendingOutput stays valid until it reports them sent.
    /// </summary>
    public sealed class Connections
    {
        public const byte Free = 0;
        public const byte AwaitConnect = 1;
        public const byte Connected = 2;

        /// <summary>The engine is done with it: the transport flushes what is pending, closes, and calls Closed.</summary>
        public const byte Closing = 3;

        public readonly byte[] Rx;
        public readonly byte[] Tx;
        private readonly int _rxSize;
        private readonly int _txSize;

        private readonly byte[] _state;
        private readonly byte[] _reason;
        private readonly byte[] _violation;
        private readonly byte[] _level;
        private readonly short[] _session;
        private readonly long[] _opened;
        private readonly long[] _lastPacket;
        private readonly int[] _keepAlive;
        private readonly int[] _rxStart;
        private readonly int[] _rxEnd;
        private readonly int[] _txHead;
        private readonly int[] _txTail;
        private readonly int[] _txWrapEnd;
        private readonly bool[] _txWrapped;
        private readonly short[] _free;
        private int _freeCount;
        private int _connected;

        public Connections(int count, int rxSize, int txSize)
        {
            _rxSize = rxSize;
            _txSize = txSize;
            Rx = new byte[count * rxSize];
            Tx = new byte[count * txSize];
            _state = new byte[count];
            _reason = new byte[count];
            _violation = new byte[count];
            _level = new byte[count];
            _session = new short[count];
            _opened = new long[count];
            _lastPacket = new long[count];
            _keepAlive = new int[count];
            _rxStart = new int[count];
            _rxEnd = new int[count];
            _txHead = new int[count];
            _txTail = new int[count];
            _txWrapEnd = new int[count];
            _txWrapped = new bool[count];
            _free = new short[count];
            for (int i = 0; i < count; i++)
            {
                _free[i] = (short)(count - 1 - i);
                _session[i] = -1;
            }

            _freeCount = count;
        }

        /// <summary>The receive and transmit buffers: most of the engine's memory.</summary>
        internal static void MeasureBuffers(Footprint f, int count, int rxSize, int txSize)
        {
            f.Array(1, count * rxSize);
            f.Array(1, count * txSize);
        }

        internal static void MeasureState(Footprint f, int count)
        {
            f.Object(21);
            f.Array(1, count);
            f.Array(1, count);
            f.Array(1, count);
            f.Array(1, count);
            f.Array(2, count);
            f.Array(8, count);
            f.Array(8, count);
            f.Array(4, count);
            f.Array(4, count);
            f.Array(4, count);
            f.Array(4, count);
            f.Array(4, count);
            f.Array(4, count);
            f.Array(1, count);
            f.Array(2, count);
        }

        public int Count { get { return _state.Length; } }

        /// <summary>Takes a free slot for a new network connection; -1 when none is left.</summary>
        public int Open(long now)
        {
            if (_freeCount == 0)
            {
                return -1;
            }

            int c = _free[--_freeCount];
            _state[c] = AwaitConnect;
            _reason[c] = (byte)CloseReason.None;
            _violation[c] = 0;
            _level[c] = 0;
            _session[c] = -1;
            _opened[c] = now;
            _lastPacket[c] = now;
            _keepAlive[c] = 0;
            _rxStart[c] = 0;
            _rxEnd[c] = 0;
            _txHead[c] = 0;
            _txTail[c] = 0;
            _txWrapEnd[c] = 0;
            _txWrapped[c] = false;
            return c;
        }

        public void Release(int c)
        {
            SetState(c, Free);
            _session[c] = -1;
            _free[_freeCount++] = (short)c;
        }

        public bool IsValid(int c)
        {
            return c >= 0 && c < _state.Length && _state[c] != Free;
        }

        public byte State(int c)
        {
            return _state[c];
        }

        public void SetState(int c, byte state)
        {
            if (_state[c] == Connected)
            {
                _connected--;
            }

            if (state == Connected)
            {
                _connected++;
            }

            _state[c] = state;
        }

        /// <summary>Connections in state Connected: clients past CONNACK that have not been closed.</summary>
        public int ConnectedCount { get { return _connected; } }

        public CloseReason Reason(int c)
        {
            return (CloseReason)_reason[c];
        }

        public void SetReason(int c, CloseReason reason)
        {
            _reason[c] = (byte)reason;
        }

        public DecodeResult Violation(int c)
        {
            return (DecodeResult)_violation[c];
        }

        public void SetViolation(int c, DecodeResult violation)
        {
            _violation[c] = (byte)violation;
        }

        public byte Level(int c)
        {
            return _level[c];
        }

        public void SetLevel(int c, byte level)
        {
            _level[c] = level;
        }

        public int Session(int c)
        {
            return _session[c];
        }

        public void SetSession(int c, int s)
        {
            _session[c] = (short)s;
        }

        public long Opened(int c)
        {
            return _opened[c];
        }

        public long LastPacket(int c)
        {
            return _lastPacket[c];
        }

        public void SetLastPacket(int c, long now)
        {
            _lastPacket[c] = now;
        }

        /// <summary>Keep-alive in seconds as the client asked; 0 = off.</summary>
        public int KeepAlive(int c)
        {
            return _keepAlive[c];
        }

        public void SetKeepAlive(int c, int seconds)
        {
            _keepAlive[c] = seconds;
        }

        // ---- Receive ---------------------------------------------------------------------------------

        public int RxWriteOffset(int c)
        {
            return c * _rxSize + _rxEnd[c];
        }

        public int RxFree(int c)
        {
            return _rxSize - _rxEnd[c];
        }

        /// <summary>Records count bytes written by the transport; returns how many were taken (at most the free space).</summary>
        public int RxAppend(int c, int count)
        {
            int free = _rxSize - _rxEnd[c];
            if (count > free)
            {
                count = free;
            }

            if (count > 0)
            {
                _rxEnd[c] += count;
            }

            return count < 0 ? 0 : count;
        }

        /// <summary>Absolute offset in Rx of the first unread byte.</summary>
        public int RxStart(int c)
        {
            return c * _rxSize + _rxStart[c];
        }

        public int RxCount(int c)
        {
            return _rxEnd[c] - _rxStart[c];
        }

        public void RxConsume(int c, int count)
        {
            _rxStart[c] += count;
            if (_rxStart[c] >= _rxEnd[c])
            {
                _rxStart[c] = 0;
                _rxEnd[c] = 0;
            }
        }

        /// <summary>Moves a trailing partial packet to the front so the transport gets the most room.</summary>
        public void RxCompact(int c)
        {
            int start = _rxStart[c];
            if (start == 0)
            {
                return;
            }

            int n = _rxEnd[c] - start;
            int b = c * _rxSize;
            System.Array.Copy(Rx, b + start, Rx, b, n);
            _rxStart[c] = 0;
            _rxEnd[c] = n;
        }

        /// <summary>Removes a packet taken from the middle of the unread bytes (absolute offset in Rx), closing the gap.</summary>
        public void RxCut(int c, int offset, int length)
        {
            int end = c * _rxSize + _rxEnd[c];
            System.Array.Copy(Rx, offset + length, Rx, offset, end - offset - length);
            _rxEnd[c] -= length;
        }

        public void RxDiscard(int c)
        {
            _rxStart[c] = 0;
            _rxEnd[c] = 0;
        }

        // ---- Transmit --------------------------------------------------------------------------------

        /// <summary>Whether a packet of n bytes can be written now.</summary>
        public bool TxCanClaim(int c, int n)
        {
            if (_txWrapped[c])
            {
                return _txTail[c] + n <= _txHead[c];
            }

            return _txTail[c] + n <= _txSize || n <= _txHead[c];
        }

        /// <summary>
        /// Reserves n contiguous bytes and counts them as pending at once; returns their absolute offset in Tx,
        /// or -1 when they do not fit. The caller writes exactly n bytes there before its next call.
        /// </summary>
        public int TxClaim(int c, int n)
        {
            int b = c * _txSize;
            if (_txWrapped[c])
            {
                if (_txTail[c] + n > _txHead[c])
                {
                    return -1;
                }

                int at = _txTail[c];
                _txTail[c] += n;
                return b + at;
            }

            if (_txTail[c] + n <= _txSize)
            {
                int at = _txTail[c];
                _txTail[c] += n;
                return b + at;
            }

            if (n <= _txHead[c])
            {
                // Continue at the front, ahead of the unsent bytes, which now end at the old tail.
                _txWrapEnd[c] = _txTail[c];
                _txWrapped[c] = true;
                _txTail[c] = n;
                return b;
            }

            return -1;
        }

        /// <summary>The oldest contiguous run of unsent bytes: its absolute offset in Tx and its length.</summary>
        public int TxPending(int c, out int offset)
        {
            if (_txWrapped[c] && _txHead[c] >= _txWrapEnd[c])
            {
                _txHead[c] = 0;
                _txWrapped[c] = false;
            }

            offset = c * _txSize + _txHead[c];
            return (_txWrapped[c] ? _txWrapEnd[c] : _txTail[c]) - _txHead[c];
        }

        /// <summary>All unsent bytes, both regions.</summary>
        public int TxPendingTotal(int c)
        {
            return _txWrapped[c] ? _txWrapEnd[c] - _txHead[c] + _txTail[c] : _txTail[c] - _txHead[c];
        }

        /// <summary>Drops count bytes from the front of the oldest run; returns how many were taken.</summary>
        public int TxSent(int c, int count)
        {
            int offset;
            int run = TxPending(c, out offset);
            if (count > run)
            {
                count = run;
            }

            if (count <= 0)
            {
                return 0;
            }

            _txHead[c] += count;
            if (_txWrapped[c])
            {
                if (_txHead[c] >= _txWrapEnd[c])
                {
                    _txHead[c] = 0;
                    _txWrapped[c] = false;
                }
            }
            else if (_txHead[c] == _txTail[c])
            {
                // Empty: start over at the front so the next packet gets the whole buffer.
                _txHead[c] = 0;
                _txTail[c] = 0;
            }

            if (!_txWrapped[c] && _txHead[c] == _txTail[c])
            {
                _txHead[c] = 0;
                _txTail[c] = 0;
            }

            return count;
        }
    }
}
