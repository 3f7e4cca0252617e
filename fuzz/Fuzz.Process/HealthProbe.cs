using System.Net.Sockets;
using System.Net;
using System.Text;
using System;

namespace Fuzz.Process
{
    /// <summary>
    /// A well-behaved client, between fuzz inputs: CONNECT (with the fuzz user's credentials), SUBSCRIBE to its own
    /// topic at QoS 1, PUBLISH to it at QoS 1, and it must get CONNACK 0, SUBACK 1, PUBACK and its message back.
    /// </summary>
    public static class HealthProbe
    {
        public static string Check(int port, int n)
        {
            try
            {
                using Socket s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10000, NoDelay = true };
                s.Connect(new IPEndPoint(IPAddress.Loopback, port));
                string id = "health-" + n;
                string topic = "health/" + n;
                s.Send(Connect(id));
                byte[] connack = Wire.Read(s);
                if (connack == null || connack[0] != 0x20 || connack[3] != 0)
                {
                    return connack == null ? "no CONNACK" : "CONNACK " + connack[3];
                }
                s.Send(Subscribe(topic));
                byte[] suback = Wire.Read(s);
                if (suback == null || suback[0] != 0x90 || suback[4] != 1)
                {
                    return "no SUBACK 1: " + (suback == null ? "closed or timed out" : Convert.ToHexString(suback));
                }
                s.Send(Publish(topic, "ping " + n));
                bool acked = false;
                bool delivered = false;
                while (!acked || !delivered)
                {
                    byte[] p = Wire.Read(s);
                    if (p == null)
                    {
                        return acked ? "own message not delivered" : "no PUBACK";
                    }
                    if (p[0] == 0x40)
                    {
                        acked = true;
                    }
                    else if ((p[0] & 0xF0) == 0x30)
                    {
                        delivered = true;
                        if ((p[0] & 0x06) != 0)
                        {
                            // Acknowledge the delivery so the session ends clean.
                            int idAt = 2 + 2 + topic.Length;
                            s.Send(new byte[] { 0x40, 2, p[idAt], p[idAt + 1] });
                        }
                    }
                }
                s.Send(new byte[] { 0xE0, 0 });
                return null;
            }
            catch (SocketException e)
            {
                return "socket error " + e.SocketErrorCode;
            }
        }

        private static byte[] Connect(string id)
        {
            byte[] user = Encoding.UTF8.GetBytes(SessionCapture.User);
            byte[] pw = Encoding.UTF8.GetBytes(SessionCapture.Password);
            byte[] cid = Encoding.UTF8.GetBytes(id);
            Builder b = new Builder();
            b.Bytes(0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 4, 0xC2, 0, FuzzSetup.MaxKeepAlive);
            b.Field(cid);
            b.Field(user);
            b.Field(pw);
            return b.Packet(0x10);
        }

        private static byte[] Subscribe(string topic)
        {
            Builder b = new Builder();
            b.Bytes(0, 1);
            b.Field(Encoding.UTF8.GetBytes(topic));
            b.Bytes(1);
            return b.Packet(0x82);
        }

        private static byte[] Publish(string topic, string payload)
        {
            Builder b = new Builder();
            b.Field(Encoding.UTF8.GetBytes(topic));
            b.Bytes(0, 7);
            b.Bytes(Encoding.UTF8.GetBytes(payload));
            return b.Packet(0x32);
        }

        private sealed class Builder
        {
            private readonly System.Collections.Generic.List<byte> _body = new System.Collections.Generic.List<byte>();

            public void Bytes(params byte[] b)
            {
                _body.AddRange(b);
            }

            public void Field(byte[] b)
            {
                _body.Add((byte)(b.Length >> 8));
                _body.Add((byte)b.Length);
                _body.AddRange(b);
            }

            public byte[] Packet(byte first)
            {
                System.Collections.Generic.List<byte> p = new System.Collections.Generic.List<byte> { first };
                int n = _body.Count;
                do
                {
                    byte d = (byte)(n % 128);
                    n /= 128;
                    p.Add(n > 0 ? (byte)(d | 0x80) : d);
                }
                while (n > 0);
                p.AddRange(_body);
                return p.ToArray();
            }
        }
    }
}
