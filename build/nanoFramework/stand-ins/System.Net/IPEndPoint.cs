using System.Net.Sockets;

namespace System.Net
{
    /// <summary>
    /// Stand-in of nanoFramework's IPEndPoint (real: nanoFramework.System.Net/IPEndPoint.cs; its Serialize/Create, which
    /// need SocketAddress, are left out). Like the real one it overrides Equals but not GetHashCode.
    /// </summary>
    [Serializable]
    public class IPEndPoint : EndPoint
    {
        public const int MinPort = 0x00000000;
        public const int MaxPort = 0x0000FFFF;

        private readonly IPAddress _address;
        private readonly int _port;

        public IPEndPoint(long address, int port)
        {
            _port = port;
            _address = new IPAddress(address);
        }

        public IPEndPoint(IPAddress address, int port)
        {
            _address = address;
            _port = port;
        }

        public IPAddress Address { get { return _address; } }

        public AddressFamily AddressFamily { get { return _address.AddressFamily; } }

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
    }
}
