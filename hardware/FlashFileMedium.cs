using System;
using System.IO;
using Device.Broker;

namespace Device.Hardware
{
    /// <summary>
    /// The board store's two segments as two files on nanoFramework's internal flash file system (I:\, System.IO.FileSystem;
    /// docs/PERSISTENCE.md, "Board image"). Begin truncates by re-creating the file (FileMode.Create: the real FileStream's
    /// SetLength is not implemented), Write appends, End closes; the real FileStream writes through to the file system on
    /// every Write (its Flush does nothing), so End has nothing left to flush. Reads go through one FileStream kept open
    /// for the segment being read (restore reads record by record at boot). Every failure is a false, never a throw, so
    /// a missing or unformatted drive costs persistence, not the broker. The real FileStream copies each Write and Read
    /// through a new array of that size: with the store's 64-byte chunk that is one small block per chunk of an image,
    /// at most one image per interval, and nothing per message.
    /// </summary>
    public sealed class FlashFileMedium : IStoreMedium
    {
        private readonly string[] _paths = new string[2];
        private FileStream _reader;
        private int _readerSegment = -1;
        private FileStream _writer;

        /// <summary>Failures seen (open, read, write), for the status line.</summary>
        public int Failures;

        /// <param name="folder">The drive or folder, for example I:\ (the files are mqtt0.img and mqtt1.img in it).</param>
        public FlashFileMedium(string folder)
        {
            string prefix = folder.EndsWith("\\") ? folder : folder + "\\";
            _paths[0] = prefix + "mqtt0.img";
            _paths[1] = prefix + "mqtt1.img";
        }

        public int Length(int segment)
        {
            FileStream f = Reader(segment);
            if (f == null)
            {
                return 0;
            }

            try
            {
                return (int)f.Length;
            }
            catch (Exception)
            {
                Failures++;
                CloseReader();
                return 0;
            }
        }

        public int Read(int segment, int offset, byte[] buffer, int at, int count)
        {
            FileStream f = Reader(segment);
            if (f == null)
            {
                return 0;
            }

            try
            {
                long length = f.Length;
                if (offset >= length)
                {
                    // The real Position setter refuses a value beyond the end.
                    return 0;
                }

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
            catch (Exception)
            {
                Failures++;
                CloseReader();
                return 0;
            }
        }

        public bool Begin(int segment)
        {
            CloseReader();
            CloseWriter();
            try
            {
                _writer = new FileStream(_paths[segment], FileMode.Create, FileAccess.Write);
                return true;
            }
            catch (Exception)
            {
                Failures++;
                _writer = null;
                return false;
            }
        }

        public bool Write(int segment, byte[] buffer, int at, int count)
        {
            if (_writer == null)
            {
                return false;
            }

            try
            {
                _writer.Write(buffer, at, count);
                return true;
            }
            catch (Exception)
            {
                // A full drive: the image is incomplete, so its trailer never validates; the other segment holds.
                Failures++;
                CloseWriter();
                return false;
            }
        }

        public bool End(int segment)
        {
            if (_writer == null)
            {
                return false;
            }

            CloseWriter();
            return true;
        }

        private FileStream Reader(int segment)
        {
            if (_readerSegment == segment && _reader != null)
            {
                return _reader;
            }

            CloseReader();
            try
            {
                if (!File.Exists(_paths[segment]))
                {
                    return null;
                }

                _reader = new FileStream(_paths[segment], FileMode.Open, FileAccess.Read);
                _readerSegment = segment;
                return _reader;
            }
            catch (Exception)
            {
                Failures++;
                _reader = null;
                return null;
            }
        }

        private void CloseReader()
        {
            if (_reader != null)
            {
                try
                {
                    _reader.Dispose();
                }
                catch (Exception)
                {
                    // Closing a file that failed: nothing more to do.
                }
            }

            _reader = null;
            _readerSegment = -1;
        }

        private void CloseWriter()
        {
            if (_writer != null)
            {
                try
                {
                    _writer.Dispose();
                }
                catch (Exception)
                {
                    // As above.
                }
            }

            _writer = null;
        }
    }
}
