namespace System.Net
{
    /// <summary>Stand-in of nanoFramework's IPEndPoint.</summary>
    [Serializable]
    public class IPEndPoint : EndPoint
    {
        public const int MinPort = 0x00000000;
        public const int MaxPort = 0x0000FFFF;

        private readonly IPAddress _address;
        private readonly int _port;

        public IPEndPoint(IPAddress address, int port)
        {
            _address = address;
            _port = port;
        }

        public IPAddress Address { get { return _address; } }

        public int Port { get { return _port; } }

        public override string ToString()
        {
            return _address.ToString() + ":" + _port.ToString();
        }

        public override bool Equals(object obj)
        {
            IPEndPoint ep = obj as IPEndPoint;
            return ep != null && ep._address.Equals(_address) && ep._port == _port;
        }

        public override int GetHashCode()
        {
            return _address.GetHashCode() ^ _port;
        }
    }
}
