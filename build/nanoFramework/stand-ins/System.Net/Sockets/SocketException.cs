namespace System.Net.Sockets
{
    /// <summary>Stand-in of nanoFramework's SocketException: the Winsock error code is all it carries.</summary>
    [Serializable]
    public class SocketException : Exception
    {
        private readonly int _errorCode;

        public SocketException(SocketError errorCode)
        {
            _errorCode = (int)errorCode;
        }

        public int ErrorCode
        {
            get { return _errorCode; }
        }
    }
}
