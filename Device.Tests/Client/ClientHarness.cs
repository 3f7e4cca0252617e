using System.Collections;
using System;
using Device.Client;
using Device.Protocol;

namespace Device.Tests
{
    /// <summary>Plays the server: feeds the engine broker-side bytes and takes what it queued for sending.</summary>
    public static class ClientHarness
    {
        public static readonly byte[] Connack0 = new byte[] { 0x20, 0x02, 0x00, 0x00 };
        public static readonly byte[] Connack0SessionPresent = new byte[] { 0x20, 0x02, 0x01, 0x00 };

        public static MqttClient New(ClientRecorder recorder, int window)
        {
            return new MqttClient(256, 256, window, 128, recorder);
        }

        /// <summary>Fills view from the options and returns the buffer its fields index.</summary>
        public static byte[] BuildOptions(string clientId, bool cleanSession, ushort keepAlive, ConnectView view)
        {
            ConnectOptions o = new ConnectOptions();
            o.ClientId = clientId;
            o.CleanSession = cleanSession;
            o.KeepAliveSeconds = keepAlive;
            return o.Build(view);
        }

        /// <summary>Connect and accept: the CONNECT is taken out of the transmit buffer and CONNACK fed back.</summary>
        public static void Connect(MqttClient c, string clientId, bool cleanSession, ushort keepAlive, byte[] connack, long now)
        {
            ConnectView v = new ConnectView();
            byte[] src = BuildOptions(clientId, cleanSession, keepAlive, v);
            Assert(c.Connect(v, src, now) == ClientResult.Ok, "Connect");
            Take(c);
            Feed(c, connack, now);
        }

        public static void Feed(MqttClient c, byte[] bytes, long now)
        {
            Array.Copy(bytes, 0, c.ReceiveBuffer, c.ReceiveCount, bytes.Length);
            c.Received(bytes.Length, now);
        }

        /// <summary>Everything queued for sending, as the transport would send it; the buffer is drained.</summary>
        public static byte[] Take(MqttClient c)
        {
            byte[] sent = new byte[c.TransmitCount];
            Array.Copy(c.TransmitBuffer, 0, sent, 0, sent.Length);
            c.Sent(sent.Length);
            return sent;
        }

        public static byte[] Bytes(string ascii)
        {
            byte[] b = new byte[ascii.Length];
            for (int i = 0; i < b.Length; i++)
            {
                b[i] = (byte)ascii[i];
            }

            return b;
        }

        public static ClientResult Publish(MqttClient c, string topic, string payload, byte qos, bool retain, out ushort id)
        {
            byte[] t = Bytes(topic);
            byte[] p = Bytes(payload);
            return c.Publish(t, 0, t.Length, p, 0, p.Length, qos, retain, out id);
        }

        /// <summary>A PUBLISH as a server sends it.</summary>
        public static byte[] ServerPublish(string topic, string payload, byte qos, bool dup, ushort id)
        {
            byte[] t = Bytes(topic);
            byte[] p = Bytes(payload);
            byte[] b = new byte[5 + t.Length + p.Length + 2];
            int n = PublishPacket.Encode(b, 0, b.Length, qos, dup, false, id, t, 0, t.Length, p, 0, p.Length);
            byte[] exact = new byte[n];
            Array.Copy(b, 0, exact, 0, n);
            return exact;
        }

        public static byte[] Ack(byte type, ushort id)
        {
            byte[] b = new byte[4];
            AckPacket.Encode(b, 0, 4, type, id);
            return b;
        }

        public static byte[] Concat(byte[] a, byte[] b)
        {
            byte[] r = new byte[a.Length + b.Length];
            Array.Copy(a, 0, r, 0, a.Length);
            Array.Copy(b, 0, r, a.Length, b.Length);
            return r;
        }

        public static string Name(ClientError e)
        {
            switch (e)
            {
                case ClientError.None: return "None";
                case ClientError.Refused: return "Refused";
                case ClientError.MalformedPacket: return "MalformedPacket";
                case ClientError.PacketTooLarge: return "PacketTooLarge";
                case ClientError.UnexpectedPacket: return "UnexpectedPacket";
                case ClientError.ConnackTimeout: return "ConnackTimeout";
                case ClientError.KeepAliveTimeout: return "KeepAliveTimeout";
                default: return "?";
            }
        }

        private static void Assert(bool condition, string what)
        {
            nanoFramework.TestFramework.Assert.IsTrue(condition, what);
        }
    }
}
