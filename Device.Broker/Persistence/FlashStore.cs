namespace Device.Broker
{
    /// <summary>
    /// The board store (docs/PERSISTENCE.md, "Board"): the engine's saved state as one image of whole records, written
    /// alternately to two segments of an <see cref="IStoreMedium"/>, so a power cut while one is written leaves the
    /// other, the previous state, intact. An image is valid only with its trailer (record count and a CRC-32 of every byte
    /// before it); at boot the valid one with the higher sequence number is restored. Changes only mark the store dirty;
    /// an image is written at a Commit at most every <see cref="MinIntervalMs"/> (the bound on flash writes per hour),
    /// and a change older than that is written at the next Commit or Tick. Nothing is allocated after construction: the
    /// records go out through a 64-byte chunk, and restore reads each record into the engine's receive buffers, which
    /// are unused before the first Accept.
    /// Segment layout: "MQF1", sequence (u32), then records: body length (u16, little-endian), body (the PC journal's
    /// record bodies, RecordType first), then the trailer: 0 (u16), record count (u32), CRC-32 (u32).
    /// </summary>
    public sealed class FlashStore : IPersistence
    {
        public const int HeaderLength = 8;
        private const int ChunkLength = 64;

        private readonly IStoreMedium _medium;
        private readonly int _minIntervalMs;
        private readonly byte[] _chunk = new byte[ChunkLength];
        private readonly short[] _sessionMap;
        private readonly short[] _messageMap;
        private BrokerEngine _engine;

        private int _used;
        private uint _crc;
        private int _records;
        private int _segment;
        private bool _writeFailed;
        private bool _saving;

        private int _current = -1;
        private uint _sequence;
        private bool _dirty;
        private long _lastWrite;

        // What the last restore dropped (counted; the caller logs them with the segment and offset).
        private int _dropped;
        private int _damageOffset = -1;

        public FlashStore(IStoreMedium medium, BrokerOptions options, int minIntervalMs)
        {
            _medium = medium;
            _minIntervalMs = minIntervalMs;
            // Slot numbers of the board's tables fit 16 bits (the Device profile has 16 sessions and 48 pool messages).
            _sessionMap = new short[options.Sessions];
            _messageMap = new short[options.PoolMessages];
        }

        internal static void Measure(Footprint f, BrokerOptions o)
        {
            f.Object(19);
            f.Array(1, ChunkLength);
            f.Array(2, o.Sessions);
            f.Array(2, o.PoolMessages);
        }

        /// <summary>Milliseconds between two images at least: 60,000 is at most 60 writes an hour.</summary>
        public int MinIntervalMs { get { return _minIntervalMs; } }

        /// <summary>The segment restored from (0 or 1), or -1 when neither held a valid image.</summary>
        public int Current { get { return _current; } }

        public uint Sequence { get { return _sequence; } }

        /// <summary>Records the last restore could not apply (they did not fit, or followed damage).</summary>
        public int Dropped { get { return _dropped; } }

        /// <summary>Offset of the damage found in a segment that was not valid (-1: none; a torn newer image after a power cut is one).</summary>
        public int DamageOffset { get { return _damageOffset; } }

        public int ImagesWritten;

        /// <summary>Restores the newest valid image into the engine (before the first Accept) and attaches itself.</summary>
        public void Open(BrokerEngine engine, long nowMs)
        {
            _engine = engine;
            int found0 = Validate(0);
            uint seq0 = _sequence;
            int found1 = Validate(1);
            uint seq1 = _sequence;
            _current = -1;
            if (found0 >= 0 && (found1 < 0 || seq0 - seq1 < 0x80000000u))
            {
                _current = 0;
                _sequence = seq0;
            }
            else if (found1 >= 0)
            {
                _current = 1;
                _sequence = seq1;
            }
            else
            {
                _sequence = 0;
            }

            if (_current >= 0)
            {
                Apply(_current);
            }

            _lastWrite = nowMs;
            engine.Attach(this);
        }

        // ---- Validation and restore ------------------------------------------------------------------

        /// <summary>Records in a whole image of the segment (its sequence in _sequence), or -1; notes where damage starts.</summary>
        private int Validate(int segment)
        {
            byte[] b = _engine.RestoreBuffer;
            int length = _medium.Length(segment);
            if (length < HeaderLength + 10 || _medium.Read(segment, 0, b, 0, HeaderLength) != HeaderLength
                || b[0] != 'M' || b[1] != 'Q' || b[2] != 'F' || b[3] != '1')
            {
                if (length > 0)
                {
                    _damageOffset = 0;
                }

                return -1;
            }

            _sequence = (uint)Get32(b, 4);
            uint crc = Crc32.Update(Crc32.Initial, b, 0, HeaderLength);
            int at = HeaderLength;
            int records = 0;
            while (at + 2 <= length)
            {
                if (_medium.Read(segment, at, b, 0, 2) != 2)
                {
                    break;
                }

                int n = b[0] | (b[1] << 8);
                if (n == 0)
                {
                    if (_medium.Read(segment, at + 2, b, 2, 8) == 8 && Get32(b, 2) == records
                        && (uint)Get32(b, 6) == Crc32.Finish(Crc32.Update(crc, b, 0, 6)))
                    {
                        return records;
                    }

                    break;
                }

                if (2 + n > b.Length || at + 2 + n > length || _medium.Read(segment, at + 2, b, 2, n) != n)
                {
                    break;
                }

                crc = Crc32.Update(crc, b, 0, 2 + n);
                records++;
                at += 2 + n;
            }

            _damageOffset = at;
            return -1;
        }

        private void Apply(int segment)
        {
            byte[] b = _engine.RestoreBuffer;
            for (int i = 0; i < _sessionMap.Length; i++)
            {
                _sessionMap[i] = -1;
            }

            for (int i = 0; i < _messageMap.Length; i++)
            {
                _messageMap[i] = -1;
            }

            _dropped = 0;
            int at = HeaderLength;
            while (true)
            {
                _medium.Read(segment, at, b, 0, 2);
                int n = b[0] | (b[1] << 8);
                if (n == 0)
                {
                    break;
                }

                _medium.Read(segment, at + 2, b, 0, n);
                if (!ApplyRecord(b, n))
                {
                    _dropped++;
                }

                at += 2 + n;
            }

            for (int i = 0; i < _messageMap.Length; i++)
            {
                if (_messageMap[i] >= 0)
                {
                    _engine.ReleaseRestored(_messageMap[i]);
                }
            }
        }

        private bool ApplyRecord(byte[] b, int n)
        {
            switch (b[0])
            {
                case RecordType.RetainedSet:
                {
                    int topicLength = b[2] | (b[3] << 8);
                    return _engine.RestoreRetained(b, 4, topicLength, 4 + topicLength, n - 4 - topicLength, b[1]);
                }

                case RecordType.SessionSaved:
                {
                    int old = Get32(b, 1);
                    if (old < 0 || old >= _sessionMap.Length)
                    {
                        return false;
                    }

                    _sessionMap[old] = (short)_engine.RestoreSession(b, 5, n - 5);
                    return _sessionMap[old] >= 0;
                }

                case RecordType.Subscribed:
                {
                    int s = Session(b);
                    return s >= 0 && _engine.RestoreSubscription(s, b, 6, n - 6, b[5]);
                }

                case RecordType.IncomingAdded:
                {
                    int s = Session(b);
                    return s >= 0 && _engine.RestoreIncoming(s, (ushort)(b[5] | (b[6] << 8)));
                }

                case RecordType.DeliveryAdded:
                {
                    int s = Session(b);
                    int old = Get32(b, 9);
                    byte state = b[14];
                    int message = -1;
                    if (s < 0)
                    {
                        return false;
                    }

                    if (state != Deliveries.AwaitPubcomp)
                    {
                        if (old < 0 || old >= _messageMap.Length)
                        {
                            return false;
                        }

                        if (_messageMap[old] < 0)
                        {
                            int topicLength = b[18] | (b[19] << 8);
                            _messageMap[old] = (short)_engine.RestoreMessage(b, 20, topicLength, 20 + topicLength, n - 20 - topicLength);
                        }

                        message = _messageMap[old];
                        if (message < 0)
                        {
                            return false;
                        }
                    }

                    return _engine.RestoreDelivery(s, message, b[13], state, (ushort)(b[15] | (b[16] << 8)), b[17] != 0);
                }
            }

            return false;
        }

        private int Session(byte[] b)
        {
            int old = Get32(b, 1);
            return old >= 0 && old < _sessionMap.Length ? _sessionMap[old] : -1;
        }

        // ---- Writing -----------------------------------------------------------------------------------

        /// <summary>Writes a new image now into the other segment; false when the medium failed (the old image still holds).</summary>
        public bool Save(long nowMs)
        {
            int target = _current == 0 ? 1 : 0;
            _segment = target;
            _writeFailed = !_medium.Begin(target);
            _used = 0;
            _records = 0;
            _crc = Crc32.Initial;
            _chunk[0] = (byte)'M';
            _chunk[1] = (byte)'Q';
            _chunk[2] = (byte)'F';
            _chunk[3] = (byte)'1';
            Put32(_chunk, 4, (int)(_sequence + 1));
            _used = HeaderLength;
            _saving = true;
            _engine.SaveTo(this);
            _saving = false;
            // The trailer: end mark, record count, then the CRC of everything before it.
            Byte(0);
            Byte(0);
            Int(_records);
            Drain();
            uint crc = Crc32.Finish(_crc);
            Put32(_chunk, 0, (int)crc);
            _used = 4;
            Drain();
            if (_writeFailed || !_medium.End(target))
            {
                return false;
            }

            _current = target;
            _sequence++;
            _dirty = false;
            _lastWrite = nowMs;
            ImagesWritten++;
            return true;
        }

        /// <summary>
        /// Always true: the board promises the last image, not each ack (up to MinIntervalMs of changes are lost on a power
        /// cut, docs/PERSISTENCE.md), so a failed write must not silence the broker until the next interval's retry.
        /// </summary>
        public bool Commit(long nowMs)
        {
            if (_dirty && nowMs - _lastWrite >= _minIntervalMs)
            {
                // A failed write leaves _dirty set: it is tried again after the next interval.
                if (!Save(nowMs))
                {
                    _lastWrite = nowMs;
                }
            }

            return true;
        }

        private void Changed()
        {
            _dirty = true;
        }

        public void SessionSaved(int s, byte[] id, int offset, int length)
        {
            if (!_saving)
            {
                Changed();
                return;
            }

            Begin(RecordType.SessionSaved, 4 + length);
            Int(s);
            Bytes(id, offset, length);
        }

        public void SessionRemoved(int s)
        {
            Changed();
        }

        public void Subscribed(int s, byte[] filter, int offset, int length, byte qos)
        {
            if (!_saving)
            {
                Changed();
                return;
            }

            Begin(RecordType.Subscribed, 5 + length);
            Int(s);
            Byte(qos);
            Bytes(filter, offset, length);
        }

        public void Unsubscribed(int s, byte[] filter, int offset, int length)
        {
            Changed();
        }

        public void RetainedSet(byte[] data, int topicOffset, int topicLength, int payloadOffset, int payloadLength, byte qos)
        {
            if (!_saving)
            {
                Changed();
                return;
            }

            if (!Fits(3 + topicLength + payloadLength))
            {
                return;
            }

            Begin(RecordType.RetainedSet, 3 + topicLength + payloadLength);
            Byte(qos);
            Byte((byte)topicLength);
            Byte((byte)(topicLength >> 8));
            Bytes(data, topicOffset, topicLength);
            Bytes(data, payloadOffset, payloadLength);
        }

        public void IncomingAdded(int s, ushort packetId)
        {
            if (!_saving)
            {
                Changed();
                return;
            }

            Begin(RecordType.IncomingAdded, 6);
            Int(s);
            Byte((byte)packetId);
            Byte((byte)(packetId >> 8));
        }

        public void IncomingRemoved(int s, ushort packetId)
        {
            Changed();
        }

        public void DeliveryAdded(int s, int e, byte[] data, int topicOffset, int topicLength, int payloadOffset, int payloadLength,
            int message, byte qos, byte state, ushort packetId, bool retain)
        {
            if (!_saving)
            {
                Changed();
                return;
            }

            if (qos == 0)
            {
                return;
            }

            if (!Fits(19 + topicLength + payloadLength))
            {
                return;
            }

            Begin(RecordType.DeliveryAdded, 19 + topicLength + payloadLength);
            Int(s);
            Int(e);
            Int(message);
            Byte(qos);
            Byte(state);
            Byte((byte)packetId);
            Byte((byte)(packetId >> 8));
            Byte(retain ? (byte)1 : (byte)0);
            Byte((byte)topicLength);
            Byte((byte)(topicLength >> 8));
            if (data != null)
            {
                Bytes(data, topicOffset, topicLength);
                Bytes(data, payloadOffset, payloadLength);
            }
        }

        public void DeliveryChanged(int e, byte state, ushort packetId)
        {
            Changed();
        }

        public void DeliveryRemoved(int e)
        {
            Changed();
        }

        /// <summary>A body is at most 65,535 bytes (u16 length); the board's packets are far smaller, a larger one is not saved and counted.</summary>
        private bool Fits(int length)
        {
            if (1 + length <= 65535)
            {
                return true;
            }

            _dropped++;
            return false;
        }

        private void Begin(byte type, int length)
        {
            int body = 1 + length;
            Byte((byte)body);
            Byte((byte)(body >> 8));
            Byte(type);
            _records++;
        }

        private void Int(int v)
        {
            Byte((byte)v);
            Byte((byte)(v >> 8));
            Byte((byte)(v >> 16));
            Byte((byte)(v >> 24));
        }

        private void Byte(byte v)
        {
            if (_used == ChunkLength)
            {
                Drain();
            }

            _chunk[_used++] = v;
        }

        private void Bytes(byte[] src, int offset, int length)
        {
            while (length > 0)
            {
                if (_used == ChunkLength)
                {
                    Drain();
                }

                int n = ChunkLength - _used < length ? ChunkLength - _used : length;
                System.Array.Copy(src, offset, _chunk, _used, n);
                _used += n;
                offset += n;
                length -= n;
            }
        }

        /// <summary>The chunk goes to the medium (and into the running CRC).</summary>
        private void Drain()
        {
            if (_used == 0)
            {
                return;
            }

            _crc = Crc32.Update(_crc, _chunk, 0, _used);
            if (!_writeFailed && !_medium.Write(_segment, _chunk, 0, _used))
            {
                _writeFailed = true;
            }

            _used = 0;
        }

        private static int Get32(byte[] b, int at)
        {
            return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24);
        }

        private static void Put32(byte[] b, int at, int v)
        {
            b[at] = (byte)v;
            b[at + 1] = (byte)(v >> 8);
            b[at + 2] = (byte)(v >> 16);
            b[at + 3] = (byte)(v >> 24);
        }
    }
}
