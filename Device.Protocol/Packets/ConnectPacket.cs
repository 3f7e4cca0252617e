namespace Device.Protocol
{
    /// <summary>CONNECT (3.1): the first packet a client sends.</summary>
    public static class ConnectPacket
    {
        private const byte FlagReserved = 0x01;
        private const byte FlagCleanSession = 0x02;
        private const byte FlagWill = 0x04;
        private const byte FlagWillRetain = 0x20;
        private const byte FlagPassword = 0x40;
        private const byte FlagUsername = 0x80;

        /// <summary>MQTT 3.1 limits the client identifier to 23 characters (3.1 spec, CONNECT payload).</summary>
        public const int MaxClientIdLengthV31 = 23;

        private static readonly byte[] NameV311 = new byte[] { (byte)'M', (byte)'Q', (byte)'T', (byte)'T' };
        private static readonly byte[] NameV31 = new byte[] { (byte)'M', (byte)'Q', (byte)'I', (byte)'s', (byte)'d', (byte)'p' };

        /// <summary>
        /// Decodes the CONNECT whose fixed header starts at buffer[packetOffset]. The protocol name and level are
        /// checked before anything else, so a CONNECT of a later version (whose variable header differs) yields
        /// UnknownProtocolLevel and the broker can still answer CONNACK 1 ([MQTT-3.1.2-2]).
        /// </summary>
        public static DecodeResult Decode(byte[] buffer, int packetOffset, FixedHeader header, ConnectView view)
        {
            view.Clear();
            DecodeResult r = Wire.CheckHeader(buffer, packetOffset, header, PacketType.Connect);
            if (r != DecodeResult.Ok)
            {
                return r;
            }

            int pos = packetOffset + header.HeaderLength;
            int end = packetOffset + header.TotalLength;

            int nameOffset, nameLength;
            if (!Wire.ReadField(buffer, ref pos, end, out nameOffset, out nameLength))
            {
                return DecodeResult.LengthMismatch;
            }

            bool v311 = Utf8.Equals(buffer, nameOffset, nameLength, NameV311, 0, NameV311.Length);
            bool v31 = !v311 && Utf8.Equals(buffer, nameOffset, nameLength, NameV31, 0, NameV31.Length);
            if (!v311 && !v31)
            {
                return DecodeResult.UnknownProtocolName;
            }

            if (pos >= end)
            {
                return DecodeResult.LengthMismatch;
            }

            byte level = buffer[pos++];
            view.ProtocolLevel = level;
            // A bridge sets BridgeFlag on the level (Mosquitto's try_private); a server that does not know it answers 1.
            if ((level & 0x7F) != (v311 ? ProtocolLevel.V311 : ProtocolLevel.V31))
            {
                return DecodeResult.UnknownProtocolLevel;
            }

            if (end - pos < 3)
            {
                return DecodeResult.LengthMismatch;
            }

            byte flags = buffer[pos];
            view.KeepAlive = Wire.ReadUInt16(buffer, pos + 1);
            pos += 3;

            // 3.1 calls bit 0 unused without requiring it to be 0; 3.1.1 makes it a protocol violation.
            if (v311 && (flags & FlagReserved) != 0)
            {
                return DecodeResult.ConnectReservedFlag;
            }

            view.CleanSession = (flags & FlagCleanSession) != 0;
            view.HasWill = (flags & FlagWill) != 0;
            view.WillQos = (byte)((flags >> 3) & 0x03);
            view.WillRetain = (flags & FlagWillRetain) != 0;
            view.HasPassword = (flags & FlagPassword) != 0;
            view.HasUsername = (flags & FlagUsername) != 0;

            if (!view.HasWill && (view.WillQos != 0 || view.WillRetain))
            {
                return DecodeResult.WillFlagsWithoutWill;
            }

            if (view.WillQos == 3)
            {
                return DecodeResult.InvalidWillQos;
            }

            // 3.1 allows a password alone (some 3.1 brokers used it as a token); 3.1.1 forbids it.
            if (v311 && view.HasPassword && !view.HasUsername)
            {
                return DecodeResult.PasswordWithoutUsername;
            }

            if (!Wire.ReadField(buffer, ref pos, end, out view.ClientIdOffset, out view.ClientIdLength))
            {
                return DecodeResult.LengthMismatch;
            }

            r = Utf8.Validate(buffer, view.ClientIdOffset, view.ClientIdLength);
            if (r != DecodeResult.Ok)
            {
                return r;
            }

            if (view.HasWill)
            {
                if (!Wire.ReadField(buffer, ref pos, end, out view.WillTopicOffset, out view.WillTopicLength))
                {
                    return DecodeResult.LengthMismatch;
                }

                r = Topic.ValidateName(buffer, view.WillTopicOffset, view.WillTopicLength);
                if (r != DecodeResult.Ok)
                {
                    return r;
                }

                if (!Wire.ReadField(buffer, ref pos, end, out view.WillMessageOffset, out view.WillMessageLength))
                {
                    return DecodeResult.LengthMismatch;
                }
            }

            if (view.HasUsername)
            {
                if (!Wire.ReadField(buffer, ref pos, end, out view.UsernameOffset, out view.UsernameLength))
                {
                    return DecodeResult.LengthMismatch;
                }

                r = Utf8.Validate(buffer, view.UsernameOffset, view.UsernameLength);
                if (r != DecodeResult.Ok)
                {
                    return r;
                }
            }

            if (view.HasPassword && !Wire.ReadField(buffer, ref pos, end, out view.PasswordOffset, out view.PasswordLength))
            {
                return DecodeResult.LengthMismatch;
            }

            return pos == end ? DecodeResult.Ok : DecodeResult.LengthMismatch;
        }

        /// <summary>
        /// Encodes a CONNECT whose string fields are (offset, length) pairs into source (fields whose Has* flag is false are
        /// ignored). Returns the bytes written, or minus the size needed when capacity is too small (nothing
        /// is written then). Throws ArgumentException for a level other than 3/4, a will QoS above 2 or a field
        /// longer than 65535 bytes: those are caller bugs, not peer input.
        /// </summary>
        public static int Encode(byte[] dst, int offset, int capacity, ConnectView view, byte[] source)
        {
            byte[] name;
            int level = view.ProtocolLevel & 0x7F;
            if (level == ProtocolLevel.V311)
            {
                name = NameV311;
            }
            else if (level == ProtocolLevel.V31)
            {
                name = NameV31;
            }
            else
            {
                throw new System.ArgumentException("ProtocolLevel");
            }

            if (view.HasWill && view.WillQos > 2)
            {
                throw new System.ArgumentException("WillQos");
            }

            int remaining = 2 + name.Length + 4 + FieldSize(view.ClientIdLength);
            byte flags = 0;
            if (view.CleanSession)
            {
                flags |= FlagCleanSession;
            }

            if (view.HasWill)
            {
                flags |= (byte)(FlagWill | (view.WillQos << 3));
                if (view.WillRetain)
                {
                    flags |= FlagWillRetain;
                }

                remaining += FieldSize(view.WillTopicLength) + FieldSize(view.WillMessageLength);
            }

            if (view.HasUsername)
            {
                flags |= FlagUsername;
                remaining += FieldSize(view.UsernameLength);
            }

            if (view.HasPassword)
            {
                flags |= FlagPassword;
                remaining += FieldSize(view.PasswordLength);
            }

            int total = Framing.PacketSize(remaining);
            if (total > capacity)
            {
                return -total;
            }

            int pos = offset + Framing.WriteHeader(dst, offset, PacketType.Connect << 4, remaining);
            pos = Wire.WriteField(dst, pos, name, 0, name.Length);
            dst[pos++] = view.ProtocolLevel;
            dst[pos++] = flags;
            Wire.WriteUInt16(dst, pos, view.KeepAlive);
            pos += 2;
            pos = Wire.WriteField(dst, pos, source, view.ClientIdOffset, view.ClientIdLength);
            if (view.HasWill)
            {
                pos = Wire.WriteField(dst, pos, source, view.WillTopicOffset, view.WillTopicLength);
                pos = Wire.WriteField(dst, pos, source, view.WillMessageOffset, view.WillMessageLength);
            }

            if (view.HasUsername)
            {
                pos = Wire.WriteField(dst, pos, source, view.UsernameOffset, view.UsernameLength);
            }

            if (view.HasPassword)
            {
                pos = Wire.WriteField(dst, pos, source, view.PasswordOffset, view.PasswordLength);
            }

            return pos - offset;
        }

        /// <summary>
        /// The identifier policy the spec puts on the server, as a CONNACK code: Accepted or IdentifierRejected.
        /// 3.1.1: an empty client id needs CleanSession ([MQTT-3.1.3-8]); 3.1: 1 to 23 characters.
        /// (A broker may accept an empty id with CleanSession by assigning one [MQTT-3.1.3-6]; that is its call.)
        /// </summary>
        public static byte CheckClientId(byte[] buffer, ConnectView view)
        {
            if (view.ProtocolLevel == ProtocolLevel.V31)
            {
                int chars = 0;
                int end = view.ClientIdOffset + view.ClientIdLength;
                for (int i = view.ClientIdOffset; i < end; i++)
                {
                    // Count code points: every byte that is not a continuation byte starts one.
                    if ((buffer[i] & 0xC0) != 0x80)
                    {
                        chars++;
                    }
                }

                return chars >= 1 && chars <= MaxClientIdLengthV31 ? ConnectReturnCode.Accepted : ConnectReturnCode.IdentifierRejected;
            }

            return view.ClientIdLength == 0 && !view.CleanSession ? ConnectReturnCode.IdentifierRejected : ConnectReturnCode.Accepted;
        }

        private static int FieldSize(int length)
        {
            if (length > 65535 || length < 0)
            {
                throw new System.ArgumentException("field longer than 65535 bytes");
            }

            return 2 + length;
        }
    }
}
