using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using Device.Protocol;
using Device.Tests;
using Fuzz.Process;
using Xunit;
using Xunit.Abstractions;

namespace Host.Tests
{
    /// <summary>
    /// Issue 13's crash test: the real broker program with `persistence true` and `fsync always` or `batch` (and a 1 s autosave, so
    /// compactions happen inside the kill window too), a QoS 1 and a QoS 2 publisher with persistent sessions, and a
    /// persistent subscriber that stays offline. The broker is killed with SIGKILL (Process.Kill) at a random moment of
    /// every run and started again on the same files. Then the subscriber comes back: every message acknowledged to a
    /// publisher is delivered, QoS 2 exactly once (no QoS 2 payload twice at all), and the retained messages are intact.
    /// CRASH_KILLS sets the number of kills with `always` (default <see cref="DefaultKills"/>, about 30 s here; .ci/run sets the issue's 100); `batch` is killed <see cref="DefaultKills"/> times.
    /// </summary>
    public class CrashRestartTests
    {
        private const int DefaultKills = 20;
        private const int Retained = 5;

        private readonly ITestOutputHelper _output;

        public CrashRestartTests(ITestOutputHelper output)
        {
            _output = output;
        }

        // `always`: the issue's claim (CRASH_KILLS kills). `batch`, the default: the figure the issue asks for ("how many
        // were lost at most"); a SIGKILL cannot lose it, since each group is written to the OS before its acks leave
        // (JournalStore), so the same assertions hold; a power cut can lose up to one batch (docs/PERSISTENCE.md).
        [Theory]
        [InlineData("always")]
        [InlineData("batch")]
        public void Every_acknowledged_message_survives_sigkill_at_random_moments(string fsync)
        {
            int kills = fsync == "always" && int.TryParse(Environment.GetEnvironmentVariable("CRASH_KILLS"), out int k) && k > 0 ? k : DefaultKills;
            int seed = Environment.TickCount;
            _output.WriteLine("fsync " + fsync + ", kills " + kills + ", seed " + seed);
            System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();
            Random random = new Random(seed);
            using TempDir dir = new TempDir();
            string conf = dir.Write("broker.conf", "persistence true\npersistence_location store/\nfsync " + fsync + "\nautosave_interval 1\nmax_queued_messages 100000\n");

            BrokerProcess broker = new BrokerProcess("-c", conf);
            using (RawMqtt sub = new RawMqtt(broker.Port, "sub", false, 10000))
            {
                sub.Send(TestPackets.Subscribe(1, "c/#", 2));
                sub.Read(out byte type);
                Assert.Equal(PacketType.Suback, type);
                sub.Send(TestPackets.Disconnect());
            }

            using (RawMqtt ret = new RawMqtt(broker.Port, "ret", true, 10000))
            {
                for (int i = 0; i < Retained; i++)
                {
                    ret.Send(TestPackets.Publish("keep/" + i, "R" + i, 1, (ushort)(i + 1), true, false));
                    ret.Read(out byte type);
                    Assert.Equal(PacketType.Puback, type);
                }
            }

            using CrashPublisher q1 = new CrashPublisher("pub1", 1);
            using CrashPublisher q2 = new CrashPublisher("pub2", 2);
            List<string> findings = new List<string>();
            for (int round = 0; round < kills; round++)
            {
                if (round > 0)
                {
                    broker = new BrokerProcess("-c", conf);
                }

                int delay = random.Next(10, 600);
                BrokerProcess victim = broker;
                int killed = 0;
                Thread killer = new Thread(() =>
                {
                    Thread.Sleep(delay);
                    findings.AddRange(victim.Findings);
                    victim.Dispose();
                    Volatile.Write(ref killed, 1);
                });
                killer.Start();
                int port = broker.Port;
                while (Volatile.Read(ref killed) == 0)
                {
                    q1.TryStep(port);
                    q2.TryStep(port);
                }

                killer.Join();
                q1.Drop();
                q2.Drop();
            }

            broker = new BrokerProcess("-c", conf);
            try
            {
                Dictionary<string, int> got = Drain(broker.Port, q1.Acknowledged.Count + q2.Acknowledged.Count, out Dictionary<string, byte> qosOf);
                _output.WriteLine("acknowledged: QoS 1 " + q1.Acknowledged.Count + " of " + q1.Sent.Count + " sent, QoS 2 "
                    + q2.Acknowledged.Count + " of " + q2.Sent.Count + " sent; delivered " + got.Count + " distinct; QoS 1 delivered more than once "
                    + CountTwice(got, "1-") + ", QoS 2 more than once " + CountTwice(got, "2-") + "; " + kills + " kills in " + clock.Elapsed.TotalSeconds.ToString("F0") + " s");
                foreach (string p in q1.Acknowledged)
                {
                    Assert.True(got.ContainsKey(p), "acknowledged QoS 1 message " + p + " was lost");
                }

                foreach (string p in q2.Acknowledged)
                {
                    Assert.True(got.ContainsKey(p), "acknowledged QoS 2 message " + p + " was lost");
                }

                foreach (KeyValuePair<string, int> e in got)
                {
                    Assert.True(q1.Sent.Contains(e.Key) || q2.Sent.Contains(e.Key), "delivered a message nobody sent: " + e.Key);
                    if (e.Key.StartsWith("2-", StringComparison.Ordinal))
                    {
                        Assert.True(e.Value == 1, "QoS 2 message " + e.Key + " delivered " + e.Value + " times");
                        Assert.Equal(2, qosOf[e.Key]);
                    }
                }

                Assert.True(q1.Acknowledged.Count > 0 && q2.Acknowledged.Count > 0, "the publishers got nothing through");
                CheckRetained(broker.Port);
                findings.AddRange(broker.Findings);
                Assert.Empty(findings);
            }
            finally
            {
                broker.Dispose();
            }
        }

        private static int CountTwice(Dictionary<string, int> got, string prefix)
        {
            int n = 0;
            foreach (KeyValuePair<string, int> e in got)
            {
                if (e.Value > 1 && e.Key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    n++;
                }
            }

            return n;
        }

        /// <summary>The subscriber's session: everything it was kept, acknowledged flow by flow, until all expected are in and it goes quiet.</summary>
        private static Dictionary<string, int> Drain(int port, int expected, out Dictionary<string, byte> qosOf)
        {
            Dictionary<string, int> got = new Dictionary<string, int>();
            qosOf = new Dictionary<string, byte>();
            using RawMqtt sub = new RawMqtt(port, "sub", false, 2000);
            Assert.True(sub.SessionPresent, "the subscriber's session was not restored");
            DateTime giveUp = DateTime.UtcNow.AddSeconds(60);
            int distinctAcked = 0;
            while (DateTime.UtcNow < giveUp)
            {
                byte[] body;
                byte type;
                byte flags;
                try
                {
                    body = sub.Read(out type, out flags);
                }
                catch (IOException e) when (e.InnerException is SocketException)
                {
                    // Quiet for 2 s: done when everything expected came (a duplicate would have come by now too).
                    if (distinctAcked >= expected)
                    {
                        break;
                    }

                    continue;
                }

                if (type == PacketType.Publish)
                {
                    RawMqtt.Publish(body, flags, out _, out string payload, out ushort id);
                    byte qos = (byte)((flags >> 1) & 3);
                    got[payload] = got.TryGetValue(payload, out int n) ? n + 1 : 1;
                    qosOf[payload] = qos;
                    distinctAcked = got.Count;
                    sub.Send(TestPackets.Ack(qos == 1 ? PacketType.Puback : PacketType.Pubrec, id));
                }
                else if (type == PacketType.Pubrel)
                {
                    sub.Send(TestPackets.Ack(PacketType.Pubcomp, RawMqtt.Id(body)));
                }
            }

            return got;
        }

        private static void CheckRetained(int port)
        {
            using RawMqtt check = new RawMqtt(port, "check", true, 10000);
            check.Send(TestPackets.Subscribe(1, "keep/#", 0));
            HashSet<string> seen = new HashSet<string>();
            while (seen.Count < Retained + 1)
            {
                byte[] body = check.Read(out byte type, out byte flags);
                if (type == PacketType.Publish)
                {
                    RawMqtt.Publish(body, flags, out string topic, out string payload, out _);
                    Assert.True((flags & 1) == 1, "retained copy without the retain flag");
                    Assert.Equal("R" + topic.Substring("keep/".Length), payload);
                    seen.Add(topic);
                }
                else
                {
                    Assert.Equal(PacketType.Suback, type);
                    seen.Add("suback");
                }
            }
        }
    }
}
