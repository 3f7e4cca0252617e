using System.Net.Sockets;
using System.Net;
using System.Threading;
using System;
using Broker.Host;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// The PC's Linux platform on real loopback sockets, by descriptor (issue 10: accepted connections are not .NET
    /// Sockets): each transport fault the raw path must tell apart from data, a full send side (EAGAIN) and an empty
    /// receive side (EAGAIN), the peer's orderly close, a reset, and EINTR as "not now". Conditions are polled, never timed.
    /// </summary>
    public class EpollPlatformTests
    {
        private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

        [SkippableFact]
        public void A_full_send_side_is_not_now_and_takes_again_once_the_peer_reads()
        {
            Skip.IfNot(OperatingSystem.IsLinux(), "epoll and raw descriptors are Linux only");
            using Pair p = new Pair(clientReceiveBuffer: 4096);
            byte[] chunk = new byte[64 * 1024];
            for (int i = 0; i < chunk.Length; i++)
            {
                chunk[i] = (byte)i;
            }

            // Until the kernel has no room: 0 (EAGAIN), not an exception and not a block.
            long sent = 0;
            int n = -1;
            for (int i = 0; i < 100000 && n != 0; i++)
            {
                n = p.Platform.Send(p.Fd, chunk, 0, chunk.Length);
                sent += n;
            }

            Assert.Equal(0, n);
            Assert.True(sent > 0);

            // The peer reads everything; then the same descriptor takes bytes again.
            long received = p.ReadAtLeast(sent, chunk);
            int more = 0;
            Assert.True(Eventually(() => (more = p.Platform.Send(p.Fd, chunk, 0, 100)) > 0), "the send side takes bytes again after the peer read");
            received += p.ReadAtLeast(more, chunk);
            Assert.Equal(sent + more, received);
        }

        [SkippableFact]
        public void A_read_is_nothing_now_then_the_bytes_then_closed_at_the_peers_orderly_close()
        {
            Skip.IfNot(OperatingSystem.IsLinux(), "epoll and raw descriptors are Linux only");
            using Pair p = new Pair();
            byte[] buffer = new byte[64];
            Assert.Equal(0, p.Platform.Receive(p.Fd, buffer, 0, buffer.Length));

            p.Client.Send(new byte[] { 1, 2, 3, 4, 5 });
            int n = 0;
            Assert.True(Eventually(() => (n = p.Platform.Receive(p.Fd, buffer, 10, 20)) != 0));
            Assert.Equal(5, n);
            Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, buffer[10..15]);

            p.Client.Shutdown(SocketShutdown.Send);
            Assert.True(Eventually(() => (n = p.Platform.Receive(p.Fd, buffer, 0, buffer.Length)) != 0));
            Assert.Equal(-1, n);
            Assert.Equal(0, p.Platform.LastError);
        }

        [SkippableFact]
        public void A_reset_mid_packet_reads_as_a_failed_connection_and_a_send_after_it_throws()
        {
            Skip.IfNot(OperatingSystem.IsLinux(), "epoll and raw descriptors are Linux only");
            using Pair p = new Pair();
            // Three bytes of a PUBLISH, then a reset (linger 0).
            p.Client.Send(new byte[] { 0x30, 0x20, 0x00 });
            p.Client.LingerState = new LingerOption(true, 0);
            p.Client.Close();

            byte[] buffer = new byte[64];
            int n = 0;
            Assert.True(Eventually(() => (n = p.Platform.Receive(p.Fd, buffer, 0, buffer.Length)) < 0), "the reset is seen");
            // Reported as the peer gone (0), as the Socket path reports a reset read (see EpollPlatform.Receive).
            Assert.Equal(0, p.Platform.LastError);
            Assert.Throws<SocketException>(() =>
            {
                // The first send after a reset may still be taken by the kernel; a later one fails (EPIPE, no SIGPIPE).
                for (int i = 0; i < 100; i++)
                {
                    p.Platform.Send(p.Fd, buffer, 0, buffer.Length);
                }
            });
        }

        [Fact]
        public void Eagain_and_eintr_are_not_now_and_a_reset_is_a_failure_with_the_sockets_code()
        {
            Assert.True(SocketCalls.NotNow(SocketCalls.Eagain));
            Assert.True(SocketCalls.NotNow(SocketCalls.Eintr));
            Assert.False(SocketCalls.NotNow(SocketCalls.Econnreset));
            Assert.False(SocketCalls.NotNow(SocketCalls.Epipe));
            Assert.Equal((int)SocketError.ConnectionReset, SocketCalls.AsSocketError(SocketCalls.Econnreset));
            Assert.Equal((int)SocketError.Shutdown, SocketCalls.AsSocketError(SocketCalls.Epipe));
        }

        [SkippableFact]
        public void The_peer_of_a_descriptor_is_the_clients_own_end_point()
        {
            Skip.IfNot(OperatingSystem.IsLinux(), "epoll and raw descriptors are Linux only");
            using Pair p = new Pair();
            Assert.Equal(p.Client.LocalEndPoint, p.Platform.RemoteOf(p.Fd));
        }

        private static bool Eventually(Func<bool> condition)
        {
            DateTime end = DateTime.UtcNow + Patience;
            while (!condition())
            {
                if (DateTime.UtcNow > end)
                {
                    return false;
                }

                Thread.Sleep(2);
            }

            return true;
        }

        /// <summary>A listener, a client connected to it and the platform's descriptor for the accepted end.</summary>
        private sealed class Pair : IDisposable
        {
            private readonly Socket _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

            public Pair(int clientReceiveBuffer = 0)
            {
                _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                _listener.Listen(4);
                Client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                if (clientReceiveBuffer > 0)
                {
                    Client.ReceiveBufferSize = clientReceiveBuffer;
                }

                Client.Connect(_listener.LocalEndPoint);
                Client.ReceiveTimeout = (int)Patience.TotalMilliseconds;
                int fd = -1;
                Assert.True(Eventually(() => _listener.Poll(0, SelectMode.SelectRead) && (fd = Platform.Accept(_listener)) >= 0));
                Fd = fd;
            }

            public EpollPlatform Platform { get; } = new EpollPlatform();

            public Socket Client { get; }

            public int Fd { get; }

            public long ReadAtLeast(long count, byte[] scratch)
            {
                long got = 0;
                while (got < count)
                {
                    int n = Client.Receive(scratch);
                    Assert.True(n > 0, "the stream ended early");
                    got += n;
                }

                return got;
            }

            public void Dispose()
            {
                Platform.Close(Fd);
                Platform.Dispose();
                Client.Dispose();
                _listener.Dispose();
            }
        }
    }
}
