namespace System.IO
{
    /// <summary>Stand-in of nanoFramework's FileStream: open, length, position, read, write (Write is abstract in Stream, so every stream overrides it).</summary>
    public class FileStream : Stream
    {
        public FileStream(string path, FileMode mode, FileAccess access)
        {
            throw new NotSupportedException("compile-only stand-in");
        }

        public override long Length { get { throw new NotSupportedException("compile-only stand-in"); } }

        public override long Position
        {
            get { throw new NotSupportedException("compile-only stand-in"); }
            set { throw new NotSupportedException("compile-only stand-in"); }
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            throw new NotSupportedException("compile-only stand-in");
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            throw new NotSupportedException("compile-only stand-in");
        }
    }
}
