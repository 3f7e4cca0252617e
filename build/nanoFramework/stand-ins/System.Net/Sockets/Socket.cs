namespace System.Net.Sockets
{
    /// <summary>
    /// Stand-in of nanoFramework's Socket (compile-only: every body throws). The device's sockets are always
    /// blocking: there is no Blocking property, no Select and no Shutdown, and Dispose is reachable only through
    /// IDisposable (the real class implements it explicitly), so code written against this compiles on both.
    /// </summary>
    public class Socket : IDisposable
    {
        public Socket(AddressFamily addressFamily, SocketType socketType, ProtocolType protocolType)
        {
        }

        /// <summary>Bytes received and not yet read (FIONREAD); throws SocketException when the connection is gone.</summary>
        public int Available { get { throw Stub(); } }

        public EndPoint LocalEndPoint { get { throw Stub(); } }

        public EndPoint RemoteEndPoint { get { throw Stub(); } }

        /// <summary>
        /// Milliseconds. The real setter throws ArgumentOutOfRangeException below -1, stores 0 as -1 (infinite) and any
        /// other value as given; the native receive waits that long.
        /// </summary>
        public int ReceiveTimeout
        {
            get { throw Stub(); }
            set { throw Stub(); }
        }

        /// <summary>
        /// Milliseconds. The real setter throws ArgumentOutOfRangeException below -1, stores 0 as -1 (infinite) and any
        /// other value as given; the native send keeps going until every byte is sent or that time has passed.
        /// </summary>
        public int SendTimeout
        {
            get { throw Stub(); }
            set { throw Stub(); }
        }

        public void Bind(EndPoint localEP) { throw Stub(); }

        public void Connect(EndPoint remoteEP) { throw Stub(); }

        public void Close() { throw Stub(); }

        public void Listen(int backlog) { throw Stub(); }

        public Socket Accept() { throw Stub(); }

        public int Send(byte[] buffer) { throw Stub(); }

        public int Send(byte[] buffer, SocketFlags socketFlags) { throw Stub(); }

        public int Send(byte[] buffer, int size, SocketFlags socketFlags) { throw Stub(); }

        public int Send(byte[] buffer, int offset, int size, SocketFlags socketFlags) { throw Stub(); }

        public int SendTo(byte[] buffer, int offset, int size, SocketFlags socketFlags, EndPoint remoteEP) { throw Stub(); }

        public int Receive(byte[] buffer) { throw Stub(); }

        public int Receive(byte[] buffer, SocketFlags socketFlags) { throw Stub(); }

        public int Receive(byte[] buffer, int size, SocketFlags socketFlags) { throw Stub(); }

        public int Receive(byte[] buffer, int offset, int size, SocketFlags socketFlags) { throw Stub(); }

        public void SetSocketOption(SocketOptionLevel optionLevel, SocketOptionName optionName, int optionValue) { throw Stub(); }

        public void SetSocketOption(SocketOptionLevel optionLevel, SocketOptionName optionName, bool optionValue) { throw Stub(); }

        /// <summary>microSeconds &lt; 0 waits forever; 0 returns at once.</summary>
        public bool Poll(int microSeconds, SelectMode mode) { throw Stub(); }

        protected virtual void Dispose(bool disposing) { }

        void IDisposable.Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        private static Exception Stub()
        {
            return new NotSupportedException("compile-only stand-in of nanoFramework System.Net");
        }
    }
}
