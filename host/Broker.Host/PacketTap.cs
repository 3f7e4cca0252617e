using System;
using Device.Protocol;

namespace Broker.Host
{
    /// <summary>
    /// Follows one direction of one connection's byte stream, as the transport moves it, and hands over whole
    /// packets of the types asked for: the log sees every packet without the engine knowing it is watched. Bodies
    /// of packets nobody wants to see are skipped, not copied. A stream the tap cannot frame is no longer followed
    /// (the engine, which frames the same bytes, closes that connection anyway).
    ///
    /// A tap holds no buffer of its own (issue 10: 10,000 idle clients): the fixed header is kept in a number, a
    /// packet it keeps is copied into a buffer of the shared <see cref="TapBuffers"/> only while it is being put
    /// together, and the delegates and header scratch are the log's, one set for every connection.
    /// </summary>
    public sealed class PacketTap
    {
        public delegate void PacketHandler(int connection, byte[] packet, FixedHeader header);

        // The header bytes seen so far (type byte first, then up to four length bytes), one byte each.
        private long _header;
        private int _headerLength;
        private byte[] _packet;
        private int _length;
        private int _remaining = -1;
        private bool _keep;
        private bool _broken;

        /// <summary>Bytes of packet buffer held now (0 between packets): what an idle connection costs the log.</summary>
        public int HeldBytes { get { return _packet != null ? _packet.Length : 0; } }

        /// <summary>A new connection in this slot: forget the old stream, give back a half-kept packet.</summary>
        public void Reset(TapBuffers buffers)
        {
            _headerLength = 0;
            _header = 0;
            _length = 0;
            _remaining = -1;
            _broken = false;
            Release(buffers);
        }

        /// <param name="wanted">Which packet types to hand over (by type number, 1..15).</param>
        /// <param name="connection">Passed to the handler: whose stream this is.</param>
        public void Feed(byte[] buffer, int offset, int count, Func<byte, bool> wanted, PacketHandler handler, int connection, TapBuffers buffers)
        {
            while (count > 0 && !_broken)
            {
                if (_remaining < 0)
                {
                    byte b = buffer[offset++];
                    count--;
                    _header |= (long)b << (8 * _headerLength);
                    _headerLength++;
                    if (_headerLength >= 2 && (b & 0x80) == 0)
                    {
                        Begin(wanted, buffers);
                    }
                    else if (_headerLength == 5)
                    {
                        _broken = true;
                    }
                }
                else
                {
                    int take = count < _remaining ? count : _remaining;
                    if (_keep)
                    {
                        Append(buffer, offset, take, buffers);
                    }

                    offset += take;
                    count -= take;
                    _remaining -= take;
                }

                if (_remaining == 0)
                {
                    if (_keep && Framing.ReadHeader(_packet, 0, _length, 0, buffers.Header) == DecodeResult.Ok)
                    {
                        handler(connection, _packet, buffers.Header);
                    }

                    Release(buffers);
                    _headerLength = 0;
                    _header = 0;
                    _length = 0;
                    _remaining = -1;
                }
            }

            if (_broken)
            {
                Release(buffers);
            }
        }

        private byte HeaderByte(int i)
        {
            return (byte)(_header >> (8 * i));
        }

        private void Begin(Func<byte, bool> wanted, TapBuffers buffers)
        {
            int remaining = 0;
            for (int i = _headerLength - 1; i >= 1; i--)
            {
                remaining = (remaining << 7) | (HeaderByte(i) & 0x7F);
            }

            _remaining = remaining;
            _keep = wanted((byte)(HeaderByte(0) >> 4));
            _length = 0;
            if (_keep)
            {
                // Sized for what has arrived, grown as the body does: a header claiming 256 MB costs nothing until sent.
                _packet = buffers.Rent(_headerLength + (remaining < TapBuffers.Size ? remaining : TapBuffers.Size));
                for (int i = 0; i < _headerLength; i++)
                {
                    _packet[_length++] = HeaderByte(i);
                }
            }
        }

        private void Append(byte[] buffer, int offset, int count, TapBuffers buffers)
        {
            if (_length + count > _packet.Length)
            {
                _packet = buffers.Grow(_packet, _length, _length + count);
            }

            Buffer.BlockCopy(buffer, offset, _packet, _length, count);
            _length += count;
        }

        private void Release(TapBuffers buffers)
        {
            if (_packet != null)
            {
                buffers.Return(_packet);
                _packet = null;
            }
        }
    }
}
