using System;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Device.Hardware;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// The board's syslog output (hardware/SyslogTarget.cs and Log.cs, compiled here unchanged; Socket.SendTo is the same
    /// call on nanoFramework's System.Net): real UDP datagrams received on a loopback port, byte for byte RFC 5424.
    /// </summary>
    [Collection("hardware log")]
    public class SyslogTargetTests
    {
        [Fact]
        public void Each_line_arrives_as_one_RFC_5424_datagram_with_its_severity()
        {
            using Socket collector = Collector(out int port);
            SyslogTarget target = new SyslogTarget(IPAddress.Loopback, port, "test-board");
            try
            {
                Point(LogLevel.Debug, target);
                Log.Line("broker: listening on 10.0.0.2:1883");
                Log.Error("broker: cannot listen", new InvalidOperationException("port taken"));
                Log.Warning("client from 10.0.0.9: refused");
                Log.Debug("détail");

                // PRI = facility 1 (user) * 8 + severity: info 6 -> 14, error 3 -> 11, warning 4 -> 12, debug 7 -> 15 (RFC 5424 6.2.1).
                Assert.Equal("<14>1 - test-board nanomqtt - - - broker: listening on 10.0.0.2:1883", Receive(collector));
                Assert.Equal("<11>1 - test-board nanomqtt - - - broker: cannot listen: InvalidOperationException: port taken", Receive(collector));
                Assert.Equal("<12>1 - test-board nanomqtt - - - client from 10.0.0.9: refused", Receive(collector));
                Assert.Equal("<15>1 - test-board nanomqtt - - - détail", Receive(collector));
                Assert.Equal(4, target.Sent);
                Assert.Equal(0, target.Failed);
            }
            finally
            {
                Point(LogLevel.Info, null);
                target.Close();
            }
        }

        [Fact]
        public void Lines_above_the_log_level_are_not_sent()
        {
            using Socket collector = Collector(out int port);
            SyslogTarget target = new SyslogTarget(IPAddress.Loopback, port, "b");
            try
            {
                Point(LogLevel.Warning, target);
                Log.Line("info line, not sent");
                Log.Debug("debug line, not sent");
                Log.Warning("warning line");

                // One connectionless sender on loopback: had the info line gone out, it would be the first datagram.
                Assert.Equal("<12>1 - b nanomqtt - - - warning line", Receive(collector));
                Assert.Equal(1, target.Sent);
            }
            finally
            {
                Point(LogLevel.Info, null);
                target.Close();
            }
        }

        [Fact]
        public void A_long_line_is_cut_to_the_480_bytes_every_receiver_takes()
        {
            using Socket collector = Collector(out int port);
            SyslogTarget target = new SyslogTarget(IPAddress.Loopback, port, "b");
            try
            {
                target.Send(LogLevel.Info, new string('x', 2000));
                byte[] datagram = ReceiveBytes(collector);
                Assert.True(datagram.Length <= SyslogTarget.DatagramBytes, datagram.Length + " bytes");
                string text = Encoding.UTF8.GetString(datagram);
                Assert.StartsWith("<14>1 - b nanomqtt - - - xxx", text);
                Assert.Equal(1, target.Sent);
            }
            finally
            {
                target.Close();
            }
        }

        [Fact]
        public void A_send_that_fails_is_counted_and_does_not_throw()
        {
            using Socket collector = Collector(out int port);
            SyslogTarget target = new SyslogTarget(IPAddress.Loopback, port, "b");

            // A socket the stack no longer has, as a board's send fails while Wi-Fi is down: the line is lost, counted, and
            // logging goes on.
            target.Close();
            target.Send(LogLevel.Error, "nobody hears this");
            Assert.Equal(0, target.Sent);
            Assert.Equal(1, target.Failed);
        }

        private static void Point(int level, SyslogTarget target)
        {
            Log.Level = level;
            Log.Syslog = target;
            Log.Topic = null;
        }

        private static Socket Collector(out int port)
        {
            Socket s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            // A bound on the wait, not a timing assertion: a missing datagram fails the test instead of hanging it.
            s.ReceiveTimeout = 20000;
            port = ((IPEndPoint)s.LocalEndPoint).Port;
            return s;
        }

        private static string Receive(Socket collector)
        {
            return Encoding.UTF8.GetString(ReceiveBytes(collector));
        }

        private static byte[] ReceiveBytes(Socket collector)
        {
            byte[] buffer = new byte[4096];
            int n = collector.Receive(buffer);
            return buffer.AsSpan(0, n).ToArray();
        }
    }
}
