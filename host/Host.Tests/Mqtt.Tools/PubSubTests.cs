using System.IO;
using System.Text;
using System;
using Xunit;

namespace Host.Tests
{
    /// <summary>Our pub and sub against Debian's mosquitto broker: messages go through a broker we did not write.</summary>
    public class PubSubTests
    {
        /// <summary>Starts our sub with -d and waits for its SUBACK, so nothing published afterwards can be missed.</summary>
        internal static ToolProcess Subscribed(MosquittoBroker broker, params string[] args)
        {
            var all = new System.Collections.Generic.List<string> { "sub", "-p", broker.PortText, "-d" };
            all.AddRange(args);
            ToolProcess sub = ToolProcess.Ours(all.ToArray());
            sub.WaitForStdout("Subscribed (mid:");
            return sub;
        }

        internal static ToolProcess Pub(MosquittoBroker broker, params string[] args)
        {
            var all = new System.Collections.Generic.List<string> { "pub", "-p", broker.PortText };
            all.AddRange(args);
            ToolProcess pub = ToolProcess.Ours(all.ToArray());
            pub.WaitForExit();
            return pub;
        }

        [SkippableTheory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(2)]
        public void Message_round_trips_at_each_qos(int qos)
        {
            using MosquittoBroker broker = MosquittoBroker.Start();
            string q = qos.ToString();
            using ToolProcess sub = Subscribed(broker, "-t", "rt/#", "-q", q, "-v", "-C", "1");
            using ToolProcess pub = Pub(broker, "-t", "rt/" + q, "-m", "hello at " + q, "-q", q, "-d");

            Assert.Equal(0, pub.ExitCode);
            Assert.Equal(0, sub.WaitForExit());
            Assert.Equal(new[] { "rt/" + q + " hello at " + q }, sub.MessageLines());
            // The publisher's own log shows the exchange the QoS asks for, with the broker's real answers.
            string expectedEnd = qos == 0 ? "sending PUBLISH (d0, q0, r0, m0, 'rt/0', ... (10 bytes))"
                : qos == 1 ? "received PUBACK (Mid: 1, RC:0)" : "received PUBCOMP (Mid: 1, RC:0)";
            Assert.Contains(expectedEnd, pub.Stdout);
            Assert.EndsWith("sending DISCONNECT\n", pub.Stdout);
            // Mosquitto hands a subscriber the lower of publish and subscription QoS; both are q here.
            Assert.Contains("received PUBLISH (d0, q" + q + ", r0", sub.Stdout);
        }

        [SkippableFact]
        public void Retained_message_reaches_a_later_subscriber_and_a_null_message_clears_it()
        {
            using MosquittoBroker broker = MosquittoBroker.Start();
            using (ToolProcess pub = Pub(broker, "-t", "ret/a", "-m", "kept", "-r", "-q", "1"))
            {
                Assert.Equal(0, pub.ExitCode);
            }

            using (ToolProcess late = ToolProcess.Ours("sub", "-p", broker.PortText, "-t", "ret/#", "-v", "-C", "1", "-d"))
            {
                Assert.Equal(0, late.WaitForExit());
                Assert.Equal(new[] { "ret/a kept" }, late.MessageLines());
                Assert.Contains("received PUBLISH (d0, q0, r1, m0, 'ret/a', ... (4 bytes))", late.Stdout);
            }

            using (ToolProcess clear = Pub(broker, "-t", "ret/a", "-n", "-r"))
            {
                Assert.Equal(0, clear.ExitCode);
            }

            using ToolProcess none = ToolProcess.Ours("sub", "-p", broker.PortText, "-t", "ret/#", "-W", "1");
            Assert.Equal(27, none.WaitForExit());
            Assert.Equal("", none.Stdout);
            Assert.Equal("Timed out\n", none.Stderr);
        }

        [SkippableFact]
        public void Stdin_lines_become_one_message_each_in_order()
        {
            using MosquittoBroker broker = MosquittoBroker.Start();
            using ToolProcess sub = Subscribed(broker, "-t", "lines", "-q", "1", "-C", "4");
            byte[] input = Encoding.UTF8.GetBytes("one\ntwo\n\nlast without newline");
            using ToolProcess pub = ToolProcess.OursWithInput(input, "pub", "-p", broker.PortText, "-t", "lines", "-l", "-q", "1");
            Assert.Equal(0, pub.WaitForExit());
            Assert.Equal(0, sub.WaitForExit());
            // The empty line is a zero-length message, which mosquitto_sub (and we) print as nothing.
            Assert.Equal(new[] { "one", "two", "last without newline" }, sub.MessageLines());
            Assert.Equal(4, CountOf(sub.Stdout, "received PUBLISH"));
        }

        [SkippableFact]
        public void File_and_stdin_payloads_arrive_byte_for_byte()
        {
            using MosquittoBroker broker = MosquittoBroker.Start();
            byte[] payload = new byte[70000];
            for (int i = 0; i < payload.Length; i++)
            {
                payload[i] = (byte)(i * 7 + i / 256);
            }

            string file = Path.GetTempFileName();
            try
            {
                File.WriteAllBytes(file, payload);
                using ToolProcess sub = Subscribed(broker, "-t", "bin", "-q", "2", "-C", "2", "-N");
                using (ToolProcess fromFile = Pub(broker, "-t", "bin", "-f", file, "-q", "2"))
                {
                    Assert.Equal(0, fromFile.ExitCode);
                }

                using (ToolProcess fromStdin = ToolProcess.OursWithInput(payload, "pub", "-p", broker.PortText, "-t", "bin", "-s", "-q", "1"))
                {
                    Assert.Equal(0, fromStdin.WaitForExit());
                }

                Assert.Equal(0, sub.WaitForExit());
                // -N prints payloads without separators; -d log lines fall between the two messages.
                byte[] output = sub.StdoutBytes;
                int first = output.AsSpan().IndexOf(payload);
                Assert.True(first >= 0, "the file payload changed on the way");
                Assert.True(output.AsSpan(first + payload.Length).IndexOf(payload) >= 0, "the stdin payload changed on the way");
            }
            finally
            {
                File.Delete(file);
            }
        }

        [SkippableFact]
        public void Mqtt_3_1_clients_exchange_messages_too()
        {
            using MosquittoBroker broker = MosquittoBroker.Start();
            using ToolProcess sub = Subscribed(broker, "-V", "mqttv31", "-t", "old", "-q", "2", "-C", "1", "-v");
            using ToolProcess pub = Pub(broker, "-V", "mqttv31", "-t", "old", "-m", "MQIsdp", "-q", "2", "-d");
            Assert.Equal(0, pub.ExitCode);
            Assert.Equal(0, sub.WaitForExit());
            Assert.Equal(new[] { "old MQIsdp" }, sub.MessageLines());
            // Without -i a 3.1 client needs an id of its own (3.1 has no server-assigned ids).
            Assert.Matches("^Client mosq-[A-Za-z0-9]{18} sending CONNECT\n", pub.Stdout);
        }

        [SkippableFact]
        public void Sub_timeout_disconnects_and_exits_27_like_mosquitto_sub()
        {
            using MosquittoBroker broker = MosquittoBroker.Start();
            using ToolProcess sub = ToolProcess.Ours("sub", "-p", broker.PortText, "-t", "quiet", "-W", "1", "-d");
            Assert.Equal(27, sub.WaitForExit());
            Assert.EndsWith("sending DISCONNECT\n", sub.Stdout);
            Assert.Equal("Timed out\n", sub.Stderr);
        }

        internal static int CountOf(string s, string part)
        {
            int n = 0;
            for (int i = s.IndexOf(part); i >= 0; i = s.IndexOf(part, i + 1))
            {
                n++;
            }

            return n;
        }
    }
}
