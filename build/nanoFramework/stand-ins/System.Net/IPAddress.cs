namespace System.Net
{
    /// <summary>Stand-in of nanoFramework's IPAddress: IPv4 only, as on the device.</summary>
    [Serializable]
    public class IPAddress
    {
        public static readonly IPAddress Any = new IPAddress(new byte[] { 0, 0, 0, 0 });
        public static readonly IPAddress Loopback = new IPAddress(new byte[] { 127, 0, 0, 1 });

        private readonly long _address;

        public IPAddress(byte[] address)
        {
            _address = (address[3] << 24 | address[2] << 16 | address[1] << 8 | address[0]) & 0x0FFFFFFFF;
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

        public override bool Equals(object comparand)
        {
            IPAddress other = comparand as IPAddress;
            return other != null && other._address == _address;
        }

        public override int GetHashCode()
        {
            return (int)_address;
        }

        public override string ToString()
        {
            return ((byte)_address).ToString() + "." + ((byte)(_address >> 8)).ToString() + "."
                + ((byte)(_address >> 16)).ToString() + "." + ((byte)(_address >> 24)).ToString();
        }
    }
}
