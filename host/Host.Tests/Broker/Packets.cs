using System;
using Device.Broker;
using Device.Protocol;

namespace Host.Tests
{
    internal static class Packets
    {
        public static byte[] Connect(string clientId, bool clean)
        {
            return Connect(clientId, clean, null, null);
        }

        public static byte[] Connect(string clientId, bool clean, string user, string password)
        {
            byte[] id = System.Text.Encoding.UTF8.GetBytes(clientId);
            byte[] u = System.Text.Encoding.UTF8.GetBytes(user ?? "");
            byte[] p = System.Text.Encoding.UTF8.GetBytes(password ?? "");
            byte[] source = new byte[id.Length + u.Length + p.Length];
            Array.Copy(id, 0, source, 0, id.Length);
            Array.Copy(u, 0, source, id.Length, u.Length);
            Array.Copy(p, 0, source, id.Length + u.Length, p.Length);
            ConnectView v = new ConnectView();
            v.ProtocolLevel = ProtocolLevel.V311;
            v.CleanSession = clean;
            // The clock advances 1 ms per message: no client must reach 1.5 x keep-alive during a long run.
            v.KeepAlive = 3600;
            v.ClientIdOffset = 0;
            v.ClientIdLength = id.Length;
            v.HasUsername = user != null;
            v.UsernameOffset = id.Length;
            v.UsernameLength = u.Length;
            v.HasPassword = password != null;
            v.PasswordOffset = id.Length + u.Length;
            v.PasswordLength = p.Length;
            byte[] buffer = new byte[256];
            int n = ConnectPacket.Encode(buffer, 0, buffer.Length, v, source);
            Array.Resize(ref buffer, n);
            return buffer;
        }

        public static byte[] Subscribe(string filter, byte qos)
        {
            byte[] buffer = new byte[256];
            int n = SubscribePacket.Encode(buffer, 0, buffer.Length, 1, new[] { System.Text.Encoding.UTF8.GetBytes(filter) }, new[] { qos }, 1);
            Array.Resize(ref buffer, n);
            return buffer;
        }
    }
}
