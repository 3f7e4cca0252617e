using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System;
using Broker.Host;
using Xunit;
using Xunit.Abstractions;

namespace Host.Tests
{
    /// <summary>
    /// The config fuzzer (issue 9): every numeric option of the host's mosquitto.conf subset, at 0, negative, huge,
    /// every boundary of its range and seeded random values, through the real program (Program.Run). Each value
    /// either starts a broker that then serves a QoS 1 round trip under a little fan-in load, or is refused before
    /// anything listens, naming the file, the line and the reason. Nothing in between: no crash, no hang, no
    /// broker that starts and cannot serve.
    /// </summary>
    public class ConfigPropertyTests
    {
        private static readonly string[] Numeric =
        {
            "max_connections", "max_inflight_messages", "max_queued_messages", "message_size_limit", "max_keepalive", "listener",
        };

        private readonly ITestOutputHelper _output;

        public ConfigPropertyTests(ITestOutputHelper output)
        {
            _output = output;
        }

        public static IEnumerable<object[]> Cases()
        {
            Random rng = new Random(9);
            foreach (string option in Numeric)
            {
                var values = new List<string>
                {
                    "0", "1", "2", "-1", "-2", "10", "255", "256", "1000", "30000", "30001", "32767", "32768", "65535", "65536",
                    "268435455", "268435456", "2147483647", "2147483648", "-2147483648", "99999999999999", "1e3", "0x10", "+5", "",
                };
                for (int i = 0; i < 4; i++)
                {
                    values.Add(rng.Next(-1000, 1 << (4 + rng.Next(26))).ToString());
                }

                foreach (string v in values)
                {
                    yield return new object[] { option, v };
                }
            }
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void Every_numeric_value_starts_a_broker_that_serves_or_is_refused_with_file_line_and_reason(string option, string value)
        {
            using TempDir dir = new TempDir();
            string conf = dir.Write("broker.conf", "# config fuzzer\n" + option + " " + value + "\n"
                // A listener line turns anonymous access off (as in Mosquitto 2.0); the probe clients are anonymous.
                + "allow_anonymous true\n");
            var log = new StringWriter();
            int port = 0;
            int exit = -1;
            using var stop = new CancellationTokenSource();
            using var started = new ManualResetEventSlim();
            var thread = new Thread(() =>
            {
                exit = Program.Run(new[] { "-c", conf, "-p", "0" }, TextWriter.Synchronized(log), TextWriter.Synchronized(log), stop.Token, p =>
                {
                    port = p;
                    started.Set();
                });
                started.Set();
            })
            { IsBackground = true };
            thread.Start();
            Assert.True(started.Wait(TimeSpan.FromSeconds(60)), "neither started nor refused within a minute:\n" + log);

            if (port == 0)
            {
                Assert.True(thread.Join(TimeSpan.FromSeconds(30)));
                Assert.Equal(1, exit);
                string text = log.ToString();
                // file:line and the option's reason (e.g. "max_queued_messages: 100000 is outside 1..32767").
                Assert.Contains(conf + ":2: " + (value.Length == 0 ? option + " needs a value" : option), text);
                _output.WriteLine(option + " " + value + ": refused: " + FirstLine(text, conf));
                return;
            }

            try
            {
                int keepAlive = option == "max_keepalive" && int.TryParse(value, out int k) && k > 0 ? Math.Min(k, 60) : 60;
                bool few = option == "max_connections" && int.TryParse(value, out int c) && c > 0 && c < 3;
                // message_size_limit limits the payload (Mosquitto): a longer one is acknowledged and dropped, so the
                // probe's payloads are cut to the limit to still expect every delivery.
                _payloadLimit = option == "message_size_limit" && int.TryParse(value, out int m) && m > 0 ? m : int.MaxValue;
                if (few)
                {
                    ServeOne(port);
                }
                else
                {
                    Serve(port, (ushort)keepAlive);
                }

                _output.WriteLine(option + " " + value + ": started and served");
            }
            finally
            {
                stop.Cancel();
                Assert.True(thread.Join(TimeSpan.FromSeconds(30)));
            }

            Assert.Equal(0, exit);
        }

        /// <summary>With room for one or two clients: one client publishes 10 QoS 1 messages to its own subscription.</summary>
        private void ServeOne(int port)
        {
            using var c = new RawClient(port);
            Assert.Equal(0, c.Connect("solo"));
            Assert.Equal(1, c.Subscribe("load/#", 1));
            for (int i = 1; i <= 10; i++)
            {
                c.Publish("load/solo", Payload("s" + i), 1, (ushort)i);
                bool acked = false;
                bool delivered = false;
                while (!acked || !delivered)
                {
                    byte[] p = c.ReadPacket();
                    if (p[0] == 0x40)
                    {
                        acked = true;
                    }
                    else
                    {
                        Assert.Equal(0x30, p[0] & 0xF0);
                        Ack(c, p);
                        delivered = true;
                    }
                }
            }
        }

        private int _payloadLimit = int.MaxValue;

        private byte[] Payload(string text)
        {
            return Encoding.UTF8.GetBytes(text.Length > _payloadLimit ? text.Substring(0, _payloadLimit) : text);
        }

        private static void Ack(RawClient c, byte[] p)
        {
            int at = 1;
            while ((p[at++] & 0x80) != 0)
            {
            }

            int topicLength = (p[at] << 8) | p[at + 1];
            int id = at + 2 + topicLength;
            c.Send(0x40, new[] { p[id], p[id + 1] });
        }

        /// <summary>Two publishers, 10 QoS 1 messages each, to one QoS 1 subscriber that acknowledges each delivery.</summary>
        private void Serve(int port, ushort keepAlive)
        {
            using var sub = new RawClient(port);
            Assert.Equal(0, sub.Connect("sub", keepAlive: keepAlive));
            Assert.Equal(1, sub.Subscribe("load/#", 1));
            using var a = new RawClient(port);
            using var b = new RawClient(port);
            Assert.Equal(0, a.Connect("pub-a", keepAlive: keepAlive));
            Assert.Equal(0, b.Connect("pub-b", keepAlive: keepAlive));
            int delivered = 0;
            for (int i = 1; i <= 10; i++)
            {
                a.Publish("load/a", Payload("a" + i), 1, (ushort)i);
                b.Publish("load/b", Payload("b" + i), 1, (ushort)i);
                Assert.Equal(0x40, a.ReadPacket()[0]);
                Assert.Equal(0x40, b.ReadPacket()[0]);
                while (delivered < 2 * i)
                {
                    byte[] p = sub.ReadPacket();
                    Assert.Equal(0x30, p[0] & 0xF0);
                    Ack(sub, p);
                    delivered++;
                }
            }
        }

        private static string FirstLine(string text, string conf)
        {
            foreach (string line in text.Split('\n'))
            {
                if (line.Contains(conf))
                {
                    return line.Trim();
                }
            }

            return text;
        }
    }
}
