namespace Device.Broker
{
    /// <summary>
    /// Tallies what a set of arrays and objects costs on each runtime. Every store has a Measure method next
    /// to its constructor that declares the same arrays the constructor allocates; Budget adds them up and a
    /// host test compares the sum with the bytes the GC really handed out during construction.
    /// </summary>
    public sealed class Footprint
    {
        /// <summary>nanoCLR allocates in units of one CLR_RT_HeapBlock (12 bytes).</summary>
        public const int DeviceHeapUnit = 12;

        /// <summary>CLR_RT_HeapBlock_Array: a heap block plus element count, element type/size and flags.</summary>
        public const int DeviceArrayHeader = 20;

        /// <summary>.NET on x64: sync block, method table and length.</summary>
        public const int HostArrayHeader = 24;

        /// <summary>.NET on x64: sync block and method table.</summary>
        public const int HostObjectHeader = 16;

        /// <summary>Element bytes of all arrays: what the tables hold, without any runtime overhead.</summary>
        public long DataBytes;
        public int Arrays;
        public int Objects;

        /// <summary>Instance fields of all objects, as declared to <see cref="Object"/> (a host test counts the real ones).</summary>
        public int Fields;

        /// <summary>Estimated bytes on the nanoFramework managed heap.</summary>
        public long DeviceBytes;

        /// <summary>Estimated bytes on the .NET heap (x64).</summary>
        public long HostBytes;

        /// <summary>An array of length elements of elementSize bytes (1 for bool/byte, 2 for short, 4 for int, 8 for long).</summary>
        public void Array(int elementSize, int length)
        {
            long data = (long)elementSize * length;
            DataBytes += data;
            Arrays++;
            DeviceBytes += RoundUp(DeviceArrayHeader + data, DeviceHeapUnit);
            HostBytes += RoundUp(HostArrayHeader + data, 8);
        }

        /// <summary>
        /// An array of length object references. nanoCLR keeps each element in a 12-byte heap block (as it does a
        /// field); .NET on x64 in 8 bytes, which DataBytes counts (what the host test reads back).
        /// </summary>
        public void References(int length)
        {
            long data = 8L * length;
            DataBytes += data;
            Arrays++;
            DeviceBytes += RoundUp(DeviceArrayHeader + (long)DeviceHeapUnit * length, DeviceHeapUnit);
            HostBytes += RoundUp(HostArrayHeader + data, 8);
        }

        /// <summary>A class instance. nanoCLR stores every field in a 12-byte heap block whatever its type.</summary>
        public void Object(int fields)
        {
            Objects++;
            Fields += fields;
            DeviceBytes += (1 + fields) * DeviceHeapUnit;
            long host = HostObjectHeader + 8L * fields;
            HostBytes += host < 24 ? 24 : RoundUp(host, 8);
        }

        /// <summary>
        /// A class instance whose fields are counted by width, for the small records of ints, bytes and bools (the
        /// codec's header and views): nanoCLR still takes a 12-byte block per field, but .NET packs them (8 bytes a
        /// reference, 4 an int, at most 2 a byte/bool/ushort), and the host estimate must stay close to what it measures.
        /// </summary>
        public void Object(int references, int ints, int narrow)
        {
            Objects++;
            Fields += references + ints + narrow;
            DeviceBytes += (1 + references + ints + narrow) * DeviceHeapUnit;
            long host = HostObjectHeader + 8L * references + 4L * ints + 2L * narrow;
            HostBytes += host < 24 ? 24 : RoundUp(host, 8);
        }

        public void Add(Footprint other)
        {
            DataBytes += other.DataBytes;
            Arrays += other.Arrays;
            Objects += other.Objects;
            Fields += other.Fields;
            DeviceBytes += other.DeviceBytes;
            HostBytes += other.HostBytes;
        }

        private static long RoundUp(long value, int unit)
        {
            return (value + unit - 1) / unit * unit;
        }
    }
}
