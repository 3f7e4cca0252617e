using System;
using System.Collections.Generic;
using System.IO;
using Device.Broker;

namespace Host.Tests
{
    /// <summary>
    /// The board store's medium over two real files (segment 0 and 1), with a power cut after a chosen number of write
    /// steps (Begin, each Write, End): from then on nothing reaches the files, as on a board that lost power.
    /// </summary>
    public sealed class CutMedium : IStoreMedium
    {
        private readonly string[] _paths;

        public CutMedium(string dir)
        {
            _paths = new[] { Path.Combine(dir, "mqtt0.bin"), Path.Combine(dir, "mqtt1.bin") };
        }

        /// <summary>Write steps allowed before the cut (-1: no cut).</summary>
        public int CutAfter = -1;
        public int Steps;

        /// <summary>A cut Write reaches the file half-way (a torn page), not at all otherwise.</summary>
        public bool TearLastWrite;

        private bool Alive()
        {
            if (CutAfter >= 0 && Steps >= CutAfter)
            {
                return false;
            }

            Steps++;
            return true;
        }

        public int Length(int segment)
        {
            return File.Exists(_paths[segment]) ? (int)new FileInfo(_paths[segment]).Length : 0;
        }

        public int Read(int segment, int offset, byte[] buffer, int at, int count)
        {
            using FileStream f = new FileStream(_paths[segment], FileMode.Open, FileAccess.Read);
            f.Position = offset;
            int got = 0;
            while (got < count)
            {
                int n = f.Read(buffer, at + got, count - got);
                if (n <= 0)
                {
                    break;
                }

                got += n;
            }

            return got;
        }

        public bool Begin(int segment)
        {
            if (!Alive())
            {
                return false;
            }

            File.WriteAllBytes(_paths[segment], Array.Empty<byte>());
            return true;
        }

        public bool Write(int segment, byte[] buffer, int at, int count)
        {
            if (!Alive())
            {
                if (TearLastWrite && Steps == CutAfter)
                {
                    using FileStream t = new FileStream(_paths[segment], FileMode.Append);
                    t.Write(buffer, at, count / 2);
                    Steps++;
                }

                return false;
            }

            using FileStream f = new FileStream(_paths[segment], FileMode.Append);
            f.Write(buffer, at, count);
            return true;
        }

        public bool End(int segment)
        {
            return Alive();
        }
    }
}
