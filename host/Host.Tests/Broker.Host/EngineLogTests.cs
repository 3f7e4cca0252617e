using System.Net.Sockets;
using System.Net;
using Fuzz.Process;
using Xunit;

namespace Host.Tests
{
    /// <summary>The host program's log tap (EngineLog) against hostile bytes, in a child process so a crash shows as an exit.</summary>
    public class EngineLogTests
    {
        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void A_connect_whose_client_id_runs_past_the_packet_is_refused_and_the_process_lives_on(bool verbose)
        {
            // Found by the process fuzzer: the codec stops at the client id (length 65535 in a 16-byte packet) and the
            // log decoded the slice anyway: ArgumentOutOfRangeException in EngineLog.Text, unhandled, process gone.
            using BrokerProcess broker = verbose ? new BrokerProcess("-v") : new BrokerProcess();
            using (Socket s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 20000 })
            {
                s.Connect(new IPEndPoint(IPAddress.Loopback, broker.Port));
                s.Send(new byte[] { 0x10, 0x0E, 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x04, 0x02, 0x00, 0x3C, 0xFF, 0xFF, 0x61, 0x62 });
                byte[] b = new byte[16];
                Assert.Equal(0, s.Receive(b));
            }

            Assert.Null(HealthProbe.Check(broker.Port, 1));
            Assert.False(broker.Died, "the broker process exited: " + broker.Tail);
            Assert.Empty(broker.Findings);
        }
    }
}
