using Device.Broker;
using Device.Protocol;

namespace Device.Hardware
{
    /// <summary>
    /// Publishes log lines on $SYS/broker/log/E, W, N, I or D (the letters and topics Mosquitto uses for its own log
    /// topic) through the embedding API, at QoS 0 and not retained, so `mosquitto_sub -t '$SYS/broker/log/#' -v` on
    /// any PC follows a deployed board. A line is written where it happens, often inside the engine's own pass
    /// (where Publish answers Busy), so lines wait in one byte buffer made at start-up, as [level][length: 2 bytes]
    /// [UTF-8 text], until the loop calls <see cref="Flush"/> between two passes. Adding a line allocates nothing
    /// beyond its text (nothing for ASCII); a line that does not fit is dropped and counted in <see cref="Dropped"/>,
    /// never waited for; a line the pool has no room for now stays for the next Flush.
    /// </summary>
    internal sealed class LogTopic
    {
        public const string Prefix = "$SYS/broker/log/";

        /// <summary>Longest line kept (bytes of text); a longer one is cut.</summary>
        public const int MaxLine = 256;

        private const int EntryHeader = 3;

        private readonly BrokerEngine _broker;
        private readonly byte[] _lines;

        // One topic per level (index: level - LogLevel.Error), encoded once.
        private readonly byte[][] _topics = new byte[5][];

        private int _start;
        private int _end;

        public int Published;

        public int Dropped;

        public LogTopic(BrokerEngine broker, int bytes)
        {
            _broker = broker;
            _lines = new byte[bytes];
            for (int level = LogLevel.Error; level <= LogLevel.Debug; level++)
            {
                byte[] topic = new byte[Prefix.Length + 1];
                Utf8.Encode(Prefix, topic, 0);
                topic[Prefix.Length] = (byte)LogLevel.Letter(level);
                _topics[level - LogLevel.Error] = topic;
            }
        }

        /// <summary>Bytes of lines waiting for <see cref="Flush"/>.</summary>
        public int Waiting { get { return _end - _start; } }

        public void Add(int level, string text)
        {
            int length = Utf8.ByteCount(text);
            if (length > MaxLine)
            {
                // At most 3 bytes per UTF-16 unit.
                text = text.Substring(0, MaxLine / 3);
                length = Utf8.ByteCount(text);
            }

            if (_end + EntryHeader + length > _lines.Length)
            {
                Compact();
                if (_end + EntryHeader + length > _lines.Length)
                {
                    Dropped++;
                    return;
                }
            }

            _lines[_end] = (byte)level;
            _lines[_end + 1] = (byte)(length >> 8);
            _lines[_end + 2] = (byte)length;
            Utf8.Encode(text, _lines, _end + EntryHeader);
            _end += EntryHeader + length;
        }

        /// <summary>
        /// Publishes the waiting lines, oldest first, until one is not taken (the pool is full, or this is called from
        /// inside a handler); that one and the rest wait for the next call. Call it from the app's loop.
        /// </summary>
        public void Flush()
        {
            while (_start < _end)
            {
                int level = _lines[_start];
                int length = (_lines[_start + 1] << 8) | _lines[_start + 2];
                byte[] topic = _topics[level - LogLevel.Error];
                PublishResult r = _broker.Publish(topic, 0, topic.Length, _lines, _start + EntryHeader, length, 0, false);
                if (r == PublishResult.NoRoom || r == PublishResult.Busy)
                {
                    break;
                }

                if (r == PublishResult.Ok)
                {
                    Published++;
                }
                else
                {
                    Dropped++;
                }

                _start += EntryHeader + length;
            }

            if (_start == _end)
            {
                _start = 0;
                _end = 0;
            }
        }

        private void Compact()
        {
            if (_start > 0)
            {
                System.Array.Copy(_lines, _start, _lines, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
        }
    }
}
