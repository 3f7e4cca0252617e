using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System;

namespace LoadGen
{
    /// <summary>
    /// --slow SECONDS: one QoS 1 publisher (window 16, open loop), two QoS 1 subscribers of its topic: a fast one
    /// that reads everything at once and a slow one that keeps reading, 1 KB every 10 ms (about 100 KB/s). Shows
    /// what each broker does to the co-subscriber: ours holds the publisher to the slow reader's pace once its queue
    /// (max_queued_messages 1000) is full (back-pressure; a reader that keeps reading is never cut), so the fast one
    /// gets everything but at that pace; Mosquitto queues for the slow one (max_queued_messages 1000000 here) and
    /// the fast one runs at full speed. Nothing is asserted.
    /// </summary>
    public static class SlowSubscriber
    {
        public sealed class Row
        {
            public string Broker;
            public double Seconds;
            public long Acked;
            public long Fast;
            public long Slow;
            public bool SlowCut;
            public string Error;
        }

        public static Row Run(BrokerUnderTest b, int seconds)
        {
            var r = new Row { Broker = b.Name, Seconds = seconds };
            using var stop = new CancellationTokenSource();
            Socket pub = null, fast = null, slow = null;
            try
            {
                fast = Open(b, "slow-fast", 0);
                slow = Open(b, "slow-slow", 4096);
                Subscribe(fast);
                Subscribe(slow);
                pub = Open(b, "slow-pub", 0);
                var fastThread = new Thread(() => Read(fast, false, stop.Token, n => Interlocked.Add(ref r.Fast, n), () => { })) { IsBackground = true };
                var slowThread = new Thread(() => Read(slow, true, stop.Token, n => Interlocked.Add(ref r.Slow, n), () => r.SlowCut = true)) { IsBackground = true };
                fastThread.Start();
                slowThread.Start();
                Publish(pub, seconds, ref r.Acked);
                stop.Cancel();
                fastThread.Join(5000);
                slowThread.Join(5000);
            }
            catch (Exception e)
            {
                r.Error = e.GetType().Name + ": " + e.Message;
            }
            finally
            {
                pub?.Close();
                fast?.Close();
                slow?.Close();
            }

            return r;
        }

        public static string Table(System.Collections.Generic.List<Row> rows)
        {
            var sb = new StringBuilder();
            sb.AppendLine("| broker | s | published (PUBACKed) | fast subscriber got | fast msg/s | slow subscriber got | slow msg/s | slow cut |");
            sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|");
            foreach (Row r in rows)
            {
                sb.AppendLine("| " + r.Broker + " | " + r.Seconds + " | " + r.Acked + " | " + r.Fast + " | " + (r.Fast / r.Seconds).ToString("0")
                    + " | " + r.Slow + " | " + (r.Slow / r.Seconds).ToString("0") + " | " + (r.Error ?? (r.SlowCut ? "yes" : "no")) + " |");
            }

            return sb.ToString();
        }

        private static Socket Open(BrokerUnderTest b, string id, int receiveBuffer)
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.NoDelay = true;
            if (receiveBuffer > 0)
            {
                s.ReceiveBufferSize = receiveBuffer;
            }

            s.Connect(b.EndPoint);
            var p = new System.Collections.Generic.List<byte> { 0x10, (byte)(12 + id.Length), 0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 4, 2, 0, 0, 0, (byte)id.Length };
            p.AddRange(Encoding.ASCII.GetBytes(id));
            s.Send(p.ToArray());
            byte[] ack = new byte[4];
            Exactly(s, ack, 4);
            if (ack[0] != 0x20 || ack[3] != 0)
            {
                throw new InvalidOperationException("CONNACK " + ack[3] + " for " + id);
            }

            return s;
        }

        private static void Subscribe(Socket s)
        {
            s.Send(new byte[] { 0x82, 11, 0, 1, 0, 6, (byte)'s', (byte)'l', (byte)'o', (byte)'w', (byte)'/', (byte)'t', 1 });
            byte[] ack = new byte[5];
            Exactly(s, ack, 5);
        }

        /// <summary>QoS 1, 64-byte payload, at most 16 unacknowledged; PUBACKs read as they come.</summary>
        private static void Publish(Socket s, int seconds, ref long acked)
        {
            byte[] packet = new byte[2 + 2 + 6 + 2 + 64];
            packet[0] = 0x32;
            packet[1] = (byte)(packet.Length - 2);
            packet[3] = 6;
            Encoding.ASCII.GetBytes("slow/t").CopyTo(packet, 4);
            byte[] rx = new byte[4096];
            int have = 0;
            long sent = 0;
            ushort id = 0;
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed.TotalSeconds < seconds)
            {
                if (sent - acked < 16)
                {
                    id = (ushort)(id % 65535 + 1);
                    packet[10] = (byte)(id >> 8);
                    packet[11] = (byte)id;
                    s.Send(packet);
                    sent++;
                    continue;
                }

                if (!s.Poll(100_000, SelectMode.SelectRead))
                {
                    continue;
                }

                int n = s.Receive(rx, have, rx.Length - have, SocketFlags.None);
                if (n <= 0)
                {
                    throw new InvalidOperationException("publisher closed by the broker");
                }

                have += n;
                int whole = have / 4 * 4;
                acked += whole / 4;
                Array.Copy(rx, whole, rx, 0, have - whole);
                have -= whole;
            }
        }

        /// <summary>Reads PUBLISH packets, acking each; slow: 1 KB per read, 10 ms apart.</summary>
        private static void Read(Socket s, bool slowly, CancellationToken stop, Action<int> got, Action cut)
        {
            byte[] rx = new byte[256 * 1024];
            int have = 0;
            byte[] ack = { 0x40, 2, 0, 0 };
            s.ReceiveTimeout = 200;
            while (!stop.IsCancellationRequested)
            {
                int n;
                try
                {
                    n = s.Receive(rx, have, slowly ? Math.Min(1024, rx.Length - have) : rx.Length - have, SocketFlags.None);
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
                {
                    continue;
                }
                catch (SocketException)
                {
                    cut();
                    return;
                }

                if (n <= 0)
                {
                    cut();
                    return;
                }

                have += n;
                int pos = 0;
                int count = 0;
                while (have - pos >= 2)
                {
                    int length = rx[pos + 1];
                    if ((length & 0x80) != 0 || have - pos < 2 + length)
                    {
                        break;
                    }

                    if ((rx[pos] & 0xF0) == 0x30)
                    {
                        int topic = (rx[pos + 2] << 8) | rx[pos + 3];
                        ack[2] = rx[pos + 4 + topic];
                        ack[3] = rx[pos + 5 + topic];
                        s.Send(ack);
                        count++;
                    }

                    pos += 2 + length;
                }

                Array.Copy(rx, pos, rx, 0, have - pos);
                have -= pos;
                got(count);
                if (slowly)
                {
                    Thread.Sleep(10);
                }
            }
        }

        private static void Exactly(Socket s, byte[] into, int count)
        {
            s.ReceiveTimeout = 30000;
            int got = 0;
            while (got < count)
            {
                int k = s.Receive(into, got, count - got, SocketFlags.None);
                if (k <= 0)
                {
                    throw new InvalidOperationException("closed by the broker");
                }

                got += k;
            }
        }
    }
}
