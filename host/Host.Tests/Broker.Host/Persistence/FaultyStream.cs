using System.IO;

namespace Host.Tests
{
    /// <summary>A store file whose writes go through <see cref="FaultyFiles"/> (which may refuse them).</summary>
    public sealed class FaultyStream : Stream
    {
        private readonly FaultyFiles _files;

        public FaultyStream(FaultyFiles files, FileStream inner)
        {
            _files = files;
            Inner = inner;
        }

        public FileStream Inner { get; }

        public override bool CanRead { get { return false; } }

        public override bool CanSeek { get { return true; } }

        public override bool CanWrite { get { return true; } }

        public override long Length { get { return Inner.Length; } }

        public override long Position { get { return Inner.Position; } set { Inner.Position = value; } }

        public override void Flush()
        {
            Inner.Flush();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            throw new System.NotSupportedException();
        }

        public override long Seek(long offset, SeekOrigin origin)
        {
            return Inner.Seek(offset, origin);
        }

        public override void SetLength(long value)
        {
            Inner.SetLength(value);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            _files.Written(this, buffer, offset, count);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
