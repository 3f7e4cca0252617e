using System.Net.Sockets;

namespace System.Net
{
    /// <summary>
    /// Stand-in of nanoFramework's IPAddress (real: nanoFramework.System.Net/IPAddress.cs). Note the real operator ==:
    /// it is <c>left is not null &amp;&amp; left.Equals(right)</c>, so <c>address == null</c> is false even when address is
    /// null; test for null with <c>is null</c>.
    /// </summary>
    [Serializable]
    public class IPAddress
    {
        public static readonly IPAddress Any = new IPAddress(new byte[] { 0, 0, 0, 0 });
        public static readonly IPAddress Loopback = new IPAddress(new byte[] { 127, 0, 0, 1 });
        public static readonly IPAddress Broadcast = new IPAddress(new byte[] { 255, 255, 255, 255 });
        public static readonly IPAddress None = Broadcast;

        private readonly long _address;

        public IPAddress(long newAddress)
        {
            if (newAddress < 0 || newAddress > 0x00000000FFFFFFFF)
            {
                throw new ArgumentOutOfRangeException();
            }
            _address = newAddress;
        }

        // IPv4 only here: the real one also takes 16 bytes (IPv6), which this project never uses.
        public IPAddress(byte[] address)
        {
            if (address == null)
            {
                throw new ArgumentNullException();
            }
            if (address.Length != 4)
            {
                throw new ArgumentException();
            }
            _address = (address[3] << 24 | address[2] << 16 | address[1] << 8 | address[0]) & 0x0FFFFFFFF;
        }

        public AddressFamily AddressFamily
        {
            get { return AddressFamily.InterNetwork; }
        }

        public static bool operator ==(IPAddress left, IPAddress right)
        {
            return !(left is null) && left.Equals(right);
        }

        public static bool operator !=(IPAddress left, IPAddress right)
        {
            return !(left == right);
        }

        public override bool Equals(object comparand)
        {
            return comparand is IPAddress other && Equals(other);
        }

        public bool Equals(IPAddress comparand)
        {
            return !(comparand is null) && comparand._address == _address;
        }

        public byte[] GetAddressBytes()
        {
            return new byte[] { (byte)_address, (byte)(_address >> 8), (byte)(_address >> 16), (byte)(_address >> 24) };
        }

        // On the device the parsing is native (NetworkInterface.IPAddressFromString); never called here.
        public static IPAddress Parse(string ipString)
        {
            throw new NotSupportedException("compile-only stand-in");
        }

        // On the device: the IPv4 address of the first interface that has one, or Any; never called here.
        public static IPAddress GetDefaultLocalAddress()
        {
            throw new NotSupportedException("compile-only stand-in");
        }

        public override int GetHashCode()
        {
            return unchecked((int)_address);
        }

        public override string ToString()
        {
            return ((byte)_address).ToString() + "." + ((byte)(_address >> 8)).ToString() + "."
                + ((byte)(_address >> 16)).ToString() + "." + ((byte)(_address >> 24)).ToString();
        }
    }
}
