using System.Linq;
using System.Net.Sockets;
using System.Text;
using System;
using Device.Net;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// The transport on the PC's platform, whose connections on Linux are bare descriptors (IDescriptorPlatform):
    /// a peer that resets in the middle of a packet, or closes without DISCONNECT, ends that one connection cleanly
    /// (reported as the Socket path reports them, the will published for the second) while another pair keeps
    /// exchanging. The socket-level cases (EAGAIN both ways, EINTR) are EpollPlatformTests.
    /// </summary>
    public class DescriptorFaultTests
    {
        [SkippableFact]
        public void A_reset_in_the_middle_of_a_packet_ends_only_that_connection()
        {
            Skip.IfNot(OperatingSystem.IsLinux(), "raw descriptors are the Linux platform's");
            using LoopBroker broker = new LoopBroker(LoopBroker.Small(clients: 4, spare: 1), hostPlatform: true);
            Assert.IsAssignableFrom<IDescriptorPlatform>(broker.Platform);
            using RawClient sub = new RawClient(broker.Port);
            Assert.Equal(0, sub.Connect("sub"));
            Assert.Equal(1, sub.Subscribe("news/#", 1));
            using RawClient pub = new RawClient(broker.Port);
            Assert.Equal(0, pub.Connect("pub"));

            RawClient victim = new RawClient(broker.Port);
            Assert.Equal(0, victim.Connect("victim"));
            string slot = VictimSlot(broker);
            // The first three bytes of a 34-byte PUBLISH, then a reset (linger 0) instead of the rest.
            victim.SendAll(new byte[] { 0x32, 0x20, 0x00 }, 0, 3);
            victim.Socket.LingerState = new LingerOption(true, 0);
            victim.Dispose();

            Assert.True(LoopBroker.Eventually(() => broker.Engine.Counters.ClientsConnected == 2, RawClient.Patience), "the reset client is gone");
            // The network ended it (a reset read is reported as the peer gone, as on the Socket path), no fault.
            Assert.True(LoopBroker.Eventually(() => broker.Events.Contains("failed " + slot + " 0"), RawClient.Patience), string.Join("; ", broker.Events));
            Assert.Equal(0, broker.Transport.Faults);
            Assert.Equal(2, broker.Transport.OpenConnections);

            pub.Publish("news/a", Encoding.UTF8.GetBytes("still here"), 1, 5);
            Assert.Equal(0x40, pub.ReadPacket()[0]);
            Assert.Contains("still here", Encoding.UTF8.GetString(sub.ReadPacket()));
        }

        [SkippableFact]
        public void A_peer_that_closes_without_disconnect_is_seen_closed_and_its_will_is_published()
        {
            Skip.IfNot(OperatingSystem.IsLinux(), "raw descriptors are the Linux platform's");
            using LoopBroker broker = new LoopBroker(LoopBroker.Small(clients: 4, spare: 1), hostPlatform: true);
            using RawClient sub = new RawClient(broker.Port);
            Assert.Equal(0, sub.Connect("sub"));
            Assert.Equal(0, sub.Subscribe("wills/#", 0));

            RawClient victim = new RawClient(broker.Port);
            victim.Send(0x10, ConnectWithWill("victim", "wills/victim", "gone"));
            Assert.Equal(new byte[] { 0x20, 0x02, 0x00, 0x00 }, victim.ReadPacket());
            string slot = VictimSlot(broker);
            // FIN without DISCONNECT: the network ended it (MQTT-3.1.2-8: the will is published).
            victim.Socket.Shutdown(SocketShutdown.Send);
            victim.Dispose();

            byte[] will = sub.ReadPacket();
            Assert.Equal(0x30, will[0] & 0xF0);
            Assert.Contains("gone", Encoding.UTF8.GetString(will));
            Assert.True(LoopBroker.Eventually(() => broker.Events.Contains("failed " + slot + " 0"), RawClient.Patience), string.Join("; ", broker.Events));
            Assert.True(LoopBroker.Eventually(() => broker.Transport.OpenConnections == 1, RawClient.Patience));
            Assert.DoesNotContain(broker.Events, e => e.StartsWith("faulted ", StringComparison.Ordinal));

            // The subscriber is served as before.
            sub.Send(0xC0, new byte[0]);
            Assert.Equal(0xD0, sub.ReadPacket()[0]);
        }

        /// <summary>The slot of the connection opened last (the victim's, once its CONNACK came).</summary>
        private static string VictimSlot(LoopBroker broker)
        {
            return broker.Events.Last(e => e.StartsWith("opened ", StringComparison.Ordinal)).Substring("opened ".Length);
        }

        /// <summary>CONNECT 3.1.1, clean session, keep-alive 60, a QoS 0 will.</summary>
        private static byte[] ConnectWithWill(string clientId, string topic, string message)
        {
            byte[] id = Encoding.UTF8.GetBytes(clientId), t = Encoding.UTF8.GetBytes(topic), m = Encoding.UTF8.GetBytes(message);
            byte[] header = { 0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 4, 0x06, 0, 60 };
            return header.Concat(Field(id)).Concat(Field(t)).Concat(Field(m)).ToArray();
        }

        private static byte[] Field(byte[] value)
        {
            return new[] { (byte)(value.Length >> 8), (byte)value.Length }.Concat(value).ToArray();
        }
    }
}
