using Device.Broker;

namespace Broker.Host
{
    /// <summary>
    /// The PC store's file format (docs/PERSISTENCE.md, "PC files"): a 20-byte header (magic "MQPS", version, kind 'S'
    /// snapshot or 'J' journal, the generation both files of one compaction share, CRC-32 of the 16 bytes before it),
    /// then framed records: body length (u32), body (a RecordType byte and its fields, little-endian), CRC-32 of the body.
    /// </summary>
    public static class StoreFormat
    {
        public const int HeaderLength = 20;
        public const byte Version = 1;
        public const byte Snapshot = (byte)'S';
        public const byte Journal = (byte)'J';

        /// <summary>Larger than any record the engine can produce (a packet is at most 256 MB); a longer length is damage.</summary>
        public const int MaxBody = 1 << 28;

        public static void WriteHeader(byte[] b, byte kind, long generation)
        {
            b[0] = (byte)'M';
            b[1] = (byte)'Q';
            b[2] = (byte)'P';
            b[3] = (byte)'S';
            b[4] = Version;
            b[5] = kind;
            b[6] = 0;
            b[7] = 0;
            PutInt64(b, 8, generation);
            PutUInt32(b, 16, Crc32.Compute(b, 0, 16));
        }

        /// <summary>Null when the header is good (its generation out), else why not.</summary>
        public static string ReadHeader(byte[] b, int length, byte kind, out long generation)
        {
            generation = -1;
            if (length < HeaderLength)
            {
                return "header truncated (" + length + " of " + HeaderLength + " bytes)";
            }

            if (b[0] != 'M' || b[1] != 'Q' || b[2] != 'P' || b[3] != 'S')
            {
                return "not a store file of this broker (no MQPS magic)";
            }

            if (GetUInt32(b, 16) != Crc32.Compute(b, 0, 16))
            {
                return "header checksum mismatch";
            }

            if (b[4] != Version)
            {
                return "format version " + b[4] + ", this broker reads " + Version;
            }

            if (b[5] != kind)
            {
                return "wrong kind '" + (char)b[5] + "' (expected '" + (char)kind + "')";
            }

            generation = GetInt64(b, 8);
            return null;
        }

        public static void PutUInt16(byte[] b, int at, int v)
        {
            b[at] = (byte)v;
            b[at + 1] = (byte)(v >> 8);
        }

        public static void PutInt32(byte[] b, int at, int v)
        {
            b[at] = (byte)v;
            b[at + 1] = (byte)(v >> 8);
            b[at + 2] = (byte)(v >> 16);
            b[at + 3] = (byte)(v >> 24);
        }

        public static void PutUInt32(byte[] b, int at, uint v)
        {
            PutInt32(b, at, (int)v);
        }

        public static void PutInt64(byte[] b, int at, long v)
        {
            PutInt32(b, at, (int)v);
            PutInt32(b, at + 4, (int)(v >> 32));
        }

        public static int GetUInt16(byte[] b, int at)
        {
            return b[at] | (b[at + 1] << 8);
        }

        public static int GetInt32(byte[] b, int at)
        {
            return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24);
        }

        public static uint GetUInt32(byte[] b, int at)
        {
            return (uint)GetInt32(b, at);
        }

        public static long GetInt64(byte[] b, int at)
        {
            return (uint)GetInt32(b, at) | ((long)GetInt32(b, at + 4) << 32);
        }
    }
}
