using System.Buffers.Binary;
using System.Diagnostics;
using System.Threading;
using System;
using Device.Protocol;

namespace LoadGen
{
    /// <summary>Payload layout: publisher id, sequence number and send time, so subscribers can check loss, duplicates and latency.</summary>
    public static class Stamp
    {
        public const int Size = 14;

        public static void Write(byte[] b, int off, ushort publisher, int seq, long timestamp)
        {
            BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(off), publisher);
            BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(off + 2), seq);
            BinaryPrimitives.WriteInt64BigEndian(b.AsSpan(off + 6), timestamp);
        }

        public static ushort Publisher(byte[] b, int off) => BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(off));

        public static int Sequence(byte[] b, int off) => BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(off + 2));

        public static long Time(byte[] b, int off) => BinaryPrimitives.ReadInt64BigEndian(b.AsSpan(off + 6));
    }
}
