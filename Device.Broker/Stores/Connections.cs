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
    ///
    /// Two ways to hold the buffers, chosen by <see cref="BrokerOptions.GrowBuffers"/>:
    /// fixed (the board): every connection's buffers are windows of the two preallocated arrays <see cref="Rx"/>
    /// and <see cref="Tx"/>, offsets absolute in them; grown (the PC): a connection holds a buffer of its own from
    /// the <see cref="BufferPool"/> only while it has bytes in it, sized for the packet at hand (up to the largest
    /// packet) and given back when empty, offsets relative to <see cref="RxArray"/> / <see cref="TxArray"/>.
    /// Either way callers index the array those methods return with the offsets these methods return.
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
        private readonly short[] _free;
        private int _freeCount;
        private int _connected;

        // Grown buffers (null in the fixed layout, the board: no field more than the board needs, it is at its
        // 48 KB budget): the pool holds the per-connection buffer slots (BufferPool.Rx/Tx).
        private readonly BufferPool _pool;

        /// <summary>Grown layout: how far a busy connection's receive buffer grows beyond its packet (16 publishes of 1 KB).</summary>
        public const int ReadAhead = 16384;
        internal static readonly byte[] NoBuffer = new byte[0];

        public Connections(int count, int rxSize, int txSize)
            : this(count, rxSize, txSize, null)
        {
        }

        /// <param name="pool">Null: the fixed layout. Otherwise buffers are grown from it: a receive buffer up to
        /// rxSize (the largest packet), a transmit buffer up to txSize of queued packets, or up to rxSize for one
        /// packet alone (a large message is written into an otherwise empty buffer).</param>
        public Connections(int count, int rxSize, int txSize, BufferPool pool)
        {
            _rxSize = rxSize;
            _txSize = txSize;
            _pool = pool;
            if (pool == null)
            {
                Rx = new byte[count * rxSize];
                Tx = new byte[count * txSize];
            }
            else
            {
                // Null: every connection has buffers of its own (RxArray, TxArray).
                Rx = null;
                Tx = null;
                pool.Attach(count);
            }

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
            _free = new short[count];
            for (int i = 0; i < count; i++)
            {
                _free[i] = (short)(count - 1 - i);
                _session[i] = -1;
            }

            _freeCount = count;
        }

        /// <summary>The receive and transmit buffers: most of the engine's memory.</summary>
        internal static void MeasureBuffers(Footprint f, int count, int rxSize, int txSize, bool grow)
        {
            if (grow)
            {
                // Only the pool and its per-connection references; the buffers come and go with the traffic.
                BufferPool.Measure(f, count);
                return;
            }

            f.Array(1, count * rxSize);
            f.Array(1, count * txSize);
        }

        /// <summary>The pool buffers grow from (null with fixed windows, the board).</summary>
        public BufferPool Pool { get { return _pool; } }

        // On the per-message path the engine writes `_connections.Rx ?? _connections.RxArray(c)` (likewise Tx): the
        // board's fixed layout then reads a field and makes no call (RoutingCostTests bounds the calls per message).

        /// <summary>The array connection c's receive offsets index.</summary>
        public byte[] RxArray(int c)
        {
            if (_pool == null)
            {
                return Rx;
            }

            byte[] b = _pool.Rx[c];
            return b != null ? b : NoBuffer;
        }

        /// <summary>The array connection c's transmit offsets index.</summary>
        public byte[] TxArray(int c)
        {
            if (_pool == null)
            {
                return Tx;
            }

            byte[] b = _pool.Tx[c];
            return b != null ? b : NoBuffer;
        }

        private int RxBase(int c)
        {
            return _pool == null ? c * _rxSize : 0;
        }

        private int RxCapacity(int c)
        {
            if (_pool == null)
            {
                return _rxSize;
            }

            byte[] b = _pool.Rx[c];
            return b != null ? b.Length : 0;
        }

        private int TxCapacity(int c)
        {
            if (_pool == null)
            {
                return _txSize;
            }

            byte[] b = _pool.Tx[c];
            return b != null ? b.Length : 0;
        }

        /// <summary>
        /// Grown layout: gives an empty receive buffer back to the pool (idle connections hold none). A buffer grown
        /// to ReadAhead (a busy connection) stays until the Tick's ShrinkIdle: given back after every read, each pass
        /// would start again from 512 bytes and read one 1 KB PUBLISH at a time.
        /// </summary>
        public void RxShrink(int c)
        {
            byte[] b;
            if (_pool != null && _rxEnd[c] == 0 && (b = _pool.Rx[c]) != null && b.Length != ReadAhead)
            {
                _pool.Return(_pool.Rx[c]);
                _pool.Rx[c] = null;
            }
        }

        /// <summary>Grown layout: every empty receive buffer back to the pool (the engine's Tick).</summary>
        public void ShrinkIdle()
        {
            if (_pool == null)
            {
                return;
            }

            for (int c = 0; c < _pool.Rx.Length; c++)
            {
                if (_pool.Rx[c] != null && _rxEnd[c] == 0)
                {
                    _pool.Return(_pool.Rx[c]);
                    _pool.Rx[c] = null;
                }
            }
        }

        private void FreeBuffers(int c)
        {
            if (_pool == null)
            {
                return;
            }

            _pool.Return(_pool.Rx[c]);
            _pool.Rx[c] = null;
            _pool.Return(_pool.Tx[c]);
            _pool.Tx[c] = null;
        }

        /// <summary>
        /// Grown layout, receive buffer full: a bigger one when its first packet is incomplete and needs it (its
        /// length read from the fixed header, up to the largest packet). A full buffer whose first packet is
        /// complete is waiting for the transmit side (back-pressure) and is not grown (RxAppend's read-ahead aside).
        /// </summary>
        private void RxGrow(int c)
        {
            byte[] old = _pool.Rx[c];
            int start = _rxStart[c];
            int end = _rxEnd[c];
            int need = PacketLength(old, start, end);
            if (need <= old.Length && start == 0)
            {
                return;
            }

            if (need <= old.Length)
            {
                // The packet fits once the bytes before it are gone.
                System.Array.Copy(old, start, old, 0, end - start);
                _rxStart[c] = 0;
                _rxEnd[c] = end - start;
                return;
            }

            if (need > _rxSize)
            {
                // Refused by the framer (PacketTooLarge) when it reaches it; do not grow for it.
                return;
            }

            byte[] b = _pool.Rent(need);
            if (b == null)
            {
                // The buffer limit is reached: read again when others have given theirs back.
                return;
            }

            System.Array.Copy(old, start, b, 0, end - start);
            _pool.Return(old);
            _pool.Rx[c] = b;
            _rxStart[c] = 0;
            _rxEnd[c] = end - start;
        }

        /// <summary>Total length of the packet at start from its fixed header; twice the buffer when the header is cut short.</summary>
        private static int PacketLength(byte[] b, int start, int end)
        {
            int value = 0;
            int shift = 0;
            for (int i = start + 1; i < end && i <= start + 4; i++)
            {
                value |= (b[i] & 0x7F) << shift;
                if ((b[i] & 0x80) == 0)
                {
                    return i - start + 1 + value;
                }

                shift += 7;
            }

            // A malformed length (five continuation bytes) is the framer's to refuse.
            return end - start >= 5 ? 0 : b.Length * 2;
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
            return c;
        }

        public void Release(int c)
        {
            FreeBuffers(c);
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
            return (_pool == null ? c * _rxSize : 0) + _rxEnd[c];
        }

        /// <summary>Room for the transport's next read; grown layout: takes or grows the buffer as needed (0 when it cannot).</summary>
        public int RxFree(int c)
        {
            if (_pool == null)
            {
                return _rxSize - _rxEnd[c];
            }

            if (_pool != null)
            {
                if (_pool.Rx[c] == null)
                {
                    _pool.Rx[c] = _pool.Rent(BufferPool.MinSize);
                    if (_pool.Rx[c] == null)
                    {
                        return 0;
                    }
                }
                else if (_rxEnd[c] == _pool.Rx[c].Length)
                {
                    RxGrow(c);
                }
            }

            return RxCapacity(c) - _rxEnd[c];
        }

        /// <summary>Records count bytes written by the transport; returns how many were taken (at most the free space).</summary>
        public int RxAppend(int c, int count)
        {
            int free = (_pool == null ? _rxSize : RxCapacity(c)) - _rxEnd[c];
            if (count > free)
            {
                count = free;
            }

            if (count > 0)
            {
                _rxEnd[c] += count;
                if (count == free && _pool != null)
                {
                    ReadAheadGrow(c);
                }
            }

            return count < 0 ? 0 : count;
        }

        /// <summary>
        /// Grown layout: the read filled the buffer, so the socket likely holds more (a publisher's whole window).
        /// Four times larger, up to ReadAhead, before the engine takes the packets: one read then takes a window of
        /// 1 KB PUBLISHes and one retry of a held publisher takes all it sent, answered with one send of acks instead
        /// of one per packet (open fan-in 1000:1 at 1 KB, issue 10; the buffer grew only for its packet before, 2 KB).
        /// A held connection stops being read once ReadAhead is full: back-pressure, its PUBLISHes unanswered. QoS 0
        /// PUBLISHes too since their publishers can be held (issue 10; before, read ahead, a QoS 0 fan-in was taken
        /// faster than its subscriber drained and the excess dropped, so QoS 0 was read packet by packet).
        /// </summary>
        private void ReadAheadGrow(int c)
        {
            byte[] old = _pool.Rx[c];
            int size = old.Length * 4;
            if (size > ReadAhead)
            {
                size = ReadAhead;
            }

            if (size <= old.Length || size > _rxSize)
            {
                return;
            }

            byte[] b = _pool.Rent(size);
            if (b == null)
            {
                // The buffer limit is reached: this buffer serves as it is.
                return;
            }

            int start = _rxStart[c];
            int end = _rxEnd[c];
            System.Array.Copy(old, start, b, 0, end - start);
            _pool.Return(old);
            _pool.Rx[c] = b;
            _rxStart[c] = 0;
            _rxEnd[c] = end - start;
        }

        /// <summary>Absolute offset in Rx of the first unread byte.</summary>
        public int RxStart(int c)
        {
            return (_pool == null ? c * _rxSize : 0) + _rxStart[c];
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
            int b = RxBase(c);
            byte[] rx = RxArray(c);
            System.Array.Copy(rx, b + start, rx, b, n);
            _rxStart[c] = 0;
            _rxEnd[c] = n;
        }

        /// <summary>Removes a packet taken from the middle of the unread bytes (absolute offset in Rx), closing the gap.</summary>
        public void RxCut(int c, int offset, int length)
        {
            int end = RxBase(c) + _rxEnd[c];
            byte[] rx = RxArray(c);
            System.Array.Copy(rx, offset + length, rx, offset, end - offset - length);
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
            if (_pool != null)
            {
                return TxFits(c, n) || TxMayGrow(c, n);
            }

            // The fixed layout inline (no call: this is on every routed message's path on the board).
            if (_txWrapEnd[c] > 0)
            {
                return _txTail[c] + n <= _txHead[c];
            }

            return _txTail[c] + n <= _txSize || n <= _txHead[c];
        }

        private bool TxFits(int c, int n)
        {
            int size = TxCapacity(c);
            if (_txWrapEnd[c] > 0)
            {
                return _txTail[c] + n <= _txHead[c];
            }

            return _txTail[c] + n <= size || n <= _txHead[c];
        }

        /// <summary>
        /// Grown layout: queued packets may fill up to txSize; a packet alone in the buffer may be up to txMax
        /// (a large message gets a buffer for itself, given back once sent). And the pool must have the bytes.
        /// </summary>
        private bool TxMayGrow(int c, int n)
        {
            int pending = TxPendingTotal(c);
            long need = (long)pending + n;
            if (pending == 0 ? n > _rxSize : need > _txSize)
            {
                return false;
            }

            return _pool.CanRent((int)need);
        }

        /// <summary>Grown layout: a buffer of at least need bytes holding the unsent bytes in one run from 0.</summary>
        private bool TxGrow(int c, int need)
        {
            byte[] b = _pool.Rent(need);
            if (b == null)
            {
                return false;
            }

            byte[] old = _pool.Tx[c];
            int n = 0;
            if (old != null)
            {
                int head = _txHead[c];
                if (_txWrapEnd[c] > 0)
                {
                    int first = _txWrapEnd[c] - head;
                    System.Array.Copy(old, head, b, 0, first);
                    System.Array.Copy(old, 0, b, first, _txTail[c]);
                    n = first + _txTail[c];
                }
                else
                {
                    n = _txTail[c] - head;
                    System.Array.Copy(old, head, b, 0, n);
                }

                _pool.Return(old);
            }
            else
            {
                // Output for a connection that had none (routed from another's PUBLISH, a retry, a queue pump):
                // a transport that visits only ready connections learns of it here (IEngine.WakesForOutput).
                _pool.Wake(c);
            }

            _pool.Tx[c] = b;
            _txHead[c] = 0;
            _txTail[c] = n;
            _txWrapEnd[c] = 0;
            return true;
        }

        /// <summary>
        /// Reserves n contiguous bytes and counts them as pending at once; returns their absolute offset in Tx,
        /// or -1 when they do not fit. The caller writes exactly n bytes there before its next call.
        /// </summary>
        public int TxClaim(int c, int n)
        {
            int b = _pool == null ? c * _txSize : 0;
            int size = _pool == null ? _txSize : TxCapacity(c);
            if (_pool != null && !TxFits(c, n))
            {
                if (!TxMayGrow(c, n) || !TxGrow(c, TxPendingTotal(c) + n))
                {
                    return -1;
                }

                size = TxCapacity(c);
            }

            if (_txWrapEnd[c] > 0)
            {
                if (_txTail[c] + n > _txHead[c])
                {
                    return -1;
                }

                int at = _txTail[c];
                _txTail[c] += n;
                return b + at;
            }

            if (_txTail[c] + n <= size)
            {
                int at = _txTail[c];
                _txTail[c] += n;
                return b + at;
            }

            if (n <= _txHead[c])
            {
                // Continue at the front, ahead of the unsent bytes, which now end at the old tail.
                // Wrapped from now on: _txWrapEnd > 0 says so (the old tail is at least n > 0 bytes in).
                _txWrapEnd[c] = _txTail[c];
                _txTail[c] = n;
                return b;
            }

            return -1;
        }

        /// <summary>The oldest contiguous run of unsent bytes: its absolute offset in Tx and its length.</summary>
        public int TxPending(int c, out int offset)
        {
            if (_txWrapEnd[c] > 0 && _txHead[c] >= _txWrapEnd[c])
            {
                _txHead[c] = 0;
                _txWrapEnd[c] = 0;
            }

            offset = (_pool == null ? c * _txSize : 0) + _txHead[c];
            return (_txWrapEnd[c] > 0 ? _txWrapEnd[c] : _txTail[c]) - _txHead[c];
        }

        /// <summary>All unsent bytes, both regions.</summary>
        public int TxPendingTotal(int c)
        {
            return _txWrapEnd[c] > 0 ? _txWrapEnd[c] - _txHead[c] + _txTail[c] : _txTail[c] - _txHead[c];
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
            if (_txWrapEnd[c] > 0)
            {
                if (_txHead[c] >= _txWrapEnd[c])
                {
                    _txHead[c] = 0;
                    _txWrapEnd[c] = 0;
                }
            }
            else if (_txHead[c] == _txTail[c])
            {
                // Empty: start over at the front so the next packet gets the whole buffer.
                _txHead[c] = 0;
                _txTail[c] = 0;
            }

            if (_txWrapEnd[c] == 0 && _txHead[c] == _txTail[c])
            {
                _txHead[c] = 0;
                _txTail[c] = 0;
                if (_pool != null && _pool.Tx[c] != null)
                {
                    // All sent: an idle connection holds no transmit buffer.
                    _pool.Return(_pool.Tx[c]);
                    _pool.Tx[c] = null;
                }
            }

            return count;
        }
    }
}
