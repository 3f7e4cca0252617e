using Device.Protocol;

namespace Device.Tests
{
    /// <summary>Client packets for the tests, built with the codec's encoders (so the bytes are the codec's, not ours).</summary>
    public static class TestPackets
    {
        public static byte[] Bytes(string s)
        {
            byte[] b = new byte[Utf8.ByteCount(s)];
            Utf8.Encode(s, b, 0);
            return b;
        }

        public static byte[] Connect(ConnectSpec spec)
        {
            // All strings go into one source buffer; the view's (offset, length) fields point into it.
            byte[] source = new byte[1024];
            int pos = 0;
            ConnectView v = new ConnectView();
            v.ProtocolLevel = spec.Level;
            v.CleanSession = spec.CleanSession;
            v.KeepAlive = spec.KeepAlive;
            v.ClientIdOffset = pos;
            v.ClientIdLength = Put(source, ref pos, spec.ClientId);
            if (spec.WillTopic != null)
            {
                v.HasWill = true;
                v.WillQos = spec.WillQos;
                v.WillRetain = spec.WillRetain;
                v.WillTopicOffset = pos;
                v.WillTopicLength = Put(source, ref pos, spec.WillTopic);
                v.WillMessageOffset = pos;
                v.WillMessageLength = Put(source, ref pos, spec.WillMessage);
            }

            if (spec.Username != null)
            {
                v.HasUsername = true;
                v.UsernameOffset = pos;
                v.UsernameLength = Put(source, ref pos, spec.Username);
            }

            if (spec.Password != null)
            {
                v.HasPassword = true;
                v.PasswordOffset = pos;
                v.PasswordLength = Put(source, ref pos, spec.Password);
            }

            lock (Scratch)
            {
                return Finish(ConnectPacket.Encode(Scratch, 0, Scratch.Length, v, source));
            }
        }

        public static byte[] Publish(string topic, string payload, byte qos, ushort packetId)
        {
            return Publish(topic, payload, qos, packetId, false, false);
        }

        public static byte[] Publish(string topic, string payload, byte qos, ushort packetId, bool retain, bool dup)
        {
            byte[] t = Bytes(topic);
            byte[] p = Bytes(payload);
            lock (Scratch)
            {
                return Finish(PublishPacket.Encode(Scratch, 0, Scratch.Length, qos, dup, retain, packetId, t, 0, t.Length, p, 0, p.Length));
            }
        }

        public static byte[] Subscribe(ushort packetId, string filter, byte qos)
        {
            return Subscribe(packetId, new string[] { filter }, new byte[] { qos });
        }

        public static byte[] Subscribe(ushort packetId, string[] filters, byte[] qos)
        {
            byte[][] f = new byte[filters.Length][];
            for (int i = 0; i < filters.Length; i++)
            {
                f[i] = Bytes(filters[i]);
            }

            lock (Scratch)
            {
                return Finish(SubscribePacket.Encode(Scratch, 0, Scratch.Length, packetId, f, qos, filters.Length));
            }
        }

        public static byte[] Unsubscribe(ushort packetId, string filter)
        {
            byte[][] f = new byte[][] { Bytes(filter) };
            lock (Scratch)
            {
                return Finish(UnsubscribePacket.Encode(Scratch, 0, Scratch.Length, packetId, f, 1));
            }
        }

        public static byte[] Ack(byte type, ushort packetId)
        {
            lock (Scratch)
            {
                return Finish(AckPacket.Encode(Scratch, 0, Scratch.Length, type, packetId));
            }
        }

        public static byte[] Pingreq()
        {
            lock (Scratch)
            {
                return Finish(EmptyPacket.Encode(Scratch, 0, Scratch.Length, PacketType.Pingreq));
            }
        }

        public static byte[] Disconnect()
        {
            lock (Scratch)
            {
                return Finish(EmptyPacket.Encode(Scratch, 0, Scratch.Length, PacketType.Disconnect));
            }
        }

        /// <summary>A string of n copies of c (topics and payloads of a given size).</summary>
        public static string Repeat(char c, int n)
        {
            char[] chars = new char[n];
            for (int i = 0; i < n; i++)
            {
                chars[i] = c;
            }

            return new string(chars);
        }

        // Shared by every builder; host test classes run in parallel, hence the lock around each use.
        private static readonly byte[] Scratch = new byte[8192];

        private static byte[] Finish(int written)
        {
            nanoFramework.TestFramework.Assert.IsTrue(written > 0, "test packet did not fit the scratch buffer");
            byte[] packet = new byte[written];
            System.Array.Copy(Scratch, 0, packet, 0, written);
            return packet;
        }

        /// <summary>Writes s at source[pos] (nothing for null), moves pos past it and returns its length.</summary>
        private static int Put(byte[] source, ref int pos, string s)
        {
            if (s == null)
            {
                return 0;
            }

            int n = Utf8.Encode(s, source, pos);
            pos += n;
            return n;
        }
    }
}
