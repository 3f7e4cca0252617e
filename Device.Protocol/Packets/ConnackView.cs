namespace Device.Protocol
{
    /// <summary>A decoded CONNACK, filled by <see cref="ConnackPacket.Decode"/> into an instance its caller owns.</summary>
    public sealed class ConnackView
    {
        /// <summary>3.1.1 only; a 3.1 server always sends 0 here (the byte is unused in 3.1).</summary>
        public bool SessionPresent;
        public byte ReturnCode;
    }
}
