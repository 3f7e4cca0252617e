namespace System.IO
{
    /// <summary>
    /// Stand-in of nanoFramework's abstract Stream, reduced to what hardware/ touches of a FileStream (read the settings, write the board store) and a writer of an SslStream.
    /// </summary>
    [Serializable]
    public abstract class Stream : MarshalByRefObject, IDisposable
    {
        public abstract long Length { get; }

        public abstract long Position { get; set; }

        public abstract int Read(byte[] buffer, int offset, int count);

        public abstract void Write(byte[] buffer, int offset, int count);

        public void Dispose()
        {
            throw new NotSupportedException("compile-only stand-in");
        }

        protected virtual void Dispose(bool disposing)
        {
        }
    }
}
