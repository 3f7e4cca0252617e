using System;
using Device.Protocol;

namespace Broker.Host
{
    /// <summary>
    /// Follows one direction of one connection's byte stream, as the transport moves it, and hands over whole
    /// packets of the types asked for: the log sees every packet without the engine knowing it is watched. Bodies
    /// of packets nobody wants to see are skipped, not copied. A stream the tap cannot frame is no longer followed
    /// (the engine, which frames the same bytes, closes that connection anyway).
    /// </summary>
    public sealed class PacketTap
    {
        public delegate void PacketHandler(byte[] packet, FixedHeader header);

        private readonly byte[] _header = new byte[5];
        private readonly FixedHeader _fixedHeader = new FixedHeader();
        private byte[] _packet = new byte[256];
        private int _headerLength;
        private int _length;
        private int _remaining = -1;
        private bool _keep;
        private bool _broken;

        public void Reset()
        {
            _headerLength = 0;
            _length = 0;
            _remaining = -1;
            _broken = false;
        }

        /// <param name="wanted">Which packet types to hand over (by type number, 1..15).</param>
        public void Feed(byte[] buffer, int offset, int count, Func<byte, bool> wanted, PacketHandler handler)
        {
            while (count > 0 && !_broken)
            {
                if (_remaining < 0)
                {
                    _header[_headerLength++] = buffer[offset++];
                    count--;
                    if (_headerLength >= 2 && (_header[_headerLength - 1] & 0x80) == 0)
                    {
                        Begin(wanted);
                    }
                    else if (_headerLength == _header.Length)
                    {
                        _broken = true;
                    }
                }
                else
                {
                    int take = count < _remaining ? count : _remaining;
                    if (_keep)
                    {
                        Append(buffer, offset, take);
                    }

                    offset += take;
                    count -= take;
                    _remaining -= take;
                }

                if (_remaining == 0)
                {
                    if (_keep && Framing.ReadHeader(_packet, 0, _length, 0, _fixedHeader) == DecodeResult.Ok)
                    {
                        handler(_packet, _fixedHeader);
                    }

                    _headerLength = 0;
                    _length = 0;
                    _remaining = -1;
                }
            }
        }

        private void Begin(Func<byte, bool> wanted)
        {
            int remaining = 0;
            for (int i = _headerLength - 1; i >= 1; i--)
            {
                remaining = (remaining << 7) | (_header[i] & 0x7F);
            }

            _remaining = remaining;
            _keep = wanted((byte)(_header[0] >> 4));
            _length = 0;
            if (_keep)
            {
                Append(_header, 0, _headerLength);
            }
        }

        private void Append(byte[] buffer, int offset, int count)
        {
            if (_length + count > _packet.Length)
            {
                Array.Resize(ref _packet, Math.Max(_packet.Length * 2, _length + count));
            }

            Buffer.BlockCopy(buffer, offset, _packet, _length, count);
            _length += count;
        }
    }
}
