using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System;

namespace LoadGen
{
    /// <summary>
    /// --connections 1000,5000,10000: for each broker and each N, N clients connect (CONNECT and a SUBSCRIBE to a
    /// topic of their own, pipelined), then each publishes one QoS 0 message to the next client's topic and reads the
    /// one for itself. Reports the time until every CONNACK/SUBACK was read (the accept rate), the broker's resident
    /// memory before and after (per connection), and the time of the one-message round. The clients are plain
    /// blocking sockets with small buffers, so the load generator itself stays light; nothing is asserted.
    /// </summary>
    public static class ConnectionScale
    {
        public sealed class Row
        {
            public string Broker;
            public int N;
            public int Connected;
            public double ConnectSeconds;
            public long RssBeforeKb;
            public long RssAfterKb;

            // .NET brokers: live managed bytes after a full collection, and the GC's committed bytes, before and after.
            public long[] HeapBefore;
            public long[] HeapAfter;

            // .NET brokers: bytes allocated (garbage included) while the N clients connected, per connection.
            public long AllocatedPerConnection = -1;
            public double RoundSeconds;
            public int Delivered;
            public string Error;

            // The sustained phase (--sustain): one QoS 0 message per client per second.
            public int SustainSeconds;
            public long SustainSent;
            public long SustainDelivered;
            public double SustainElapsed;
            public double SustainCpuSeconds;
            public long SustainRssKb;
        }

        public static List<Row> Run(List<BrokerUnderTest> brokers, int[] counts, int sustainSeconds = 0)
        {
            var rows = new List<Row>();
            foreach (int n in counts)
            {
                foreach (BrokerUnderTest b in brokers)
                {
                    Row r = One(b, n, sustainSeconds);
                    rows.Add(r);
                    Console.WriteLine("connections " + r.Broker + " N=" + n + ": " + Line(r));
                    // Let the broker take the closes before the next size.
                    Thread.Sleep(2000);
                }
            }

            return rows;
        }

        private static string Line(Row r)
        {
            if (r.Error != null)
            {
                return "error after " + r.Connected + " clients: " + r.Error;
            }

            long perConn = (r.RssAfterKb - r.RssBeforeKb) * 1024 / Math.Max(1, r.N);
            return r.Connected + " connected in " + r.ConnectSeconds.ToString("0.00") + " s (" + (r.N / r.ConnectSeconds).ToString("0") + "/s), RSS "
                + (r.RssBeforeKb / 1024) + " -> " + (r.RssAfterKb / 1024) + " MB (" + perConn + " B per connection), one message each: "
                + r.Delivered + " delivered in " + r.RoundSeconds.ToString("0.00") + " s" + Heap(r);
        }

        /// <summary>The managed part (.NET brokers): live bytes and GC-committed bytes per connection.</summary>
        private static string Heap(Row r)
        {
            if (r.HeapBefore == null || r.HeapAfter == null)
            {
                return "";
            }

            return "; managed live " + (r.HeapBefore[0] / 1048576.0).ToString("0.0") + " -> " + (r.HeapAfter[0] / 1048576.0).ToString("0.0") + " MB ("
                + ((r.HeapAfter[0] - r.HeapBefore[0]) / Math.Max(1, r.N)) + " B per connection), GC committed "
                + (r.HeapBefore[1] / 1048576.0).ToString("0.0") + " -> " + (r.HeapAfter[1] / 1048576.0).ToString("0.0") + " MB, allocated "
                + r.AllocatedPerConnection + " B per connection while connecting";
        }

        public static string Table(List<Row> rows)
        {
            var sb = new StringBuilder();
            sb.AppendLine("| broker | N | connect s | accepts/s | RSS before MB | RSS after MB | B per connection | round s | delivered |");
            sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (Row r in rows)
            {
                if (r.Error != null)
                {
                    sb.AppendLine("| " + r.Broker + " | " + r.N + " | error after " + r.Connected + ": " + r.Error + " | | | | | | |");
                    continue;
                }

                sb.AppendLine("| " + r.Broker + " | " + r.N + " | " + r.ConnectSeconds.ToString("0.00") + " | " + (r.N / r.ConnectSeconds).ToString("0")
                    + " | " + (r.RssBeforeKb / 1024.0).ToString("0.0") + " | " + (r.RssAfterKb / 1024.0).ToString("0.0") + " | "
                    + ((r.RssAfterKb - r.RssBeforeKb) * 1024 / r.N) + " | " + r.RoundSeconds.ToString("0.00") + " | " + r.Delivered + " |");
            }

            return sb.ToString();
        }

        private static Row One(BrokerUnderTest b, int n, int sustainSeconds)
        {
            var r = new Row { Broker = b.Name, N = n, SustainSeconds = sustainSeconds };
            var sockets = new List<Socket>(n);
            byte[] rx = new byte[4096];
            try
            {
                // RSS first, as before this probe existed; the probe's full collection then runs outside both readings.
                r.RssBeforeKb = (b.Pid > 0 ? BrokerUnderTest.ProcStatus(b.Pid, "VmRSS:") : 0);
                r.HeapBefore = b.ManagedHeap();
                b.GcDump("before-" + n);
                long? allocated0 = b.AllocatedBytes();
                var watch = Stopwatch.StartNew();
                for (int i = 0; i < n; i++)
                {
                    var s = new Socket(System.Net.Sockets.AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    s.NoDelay = true;
                    s.ReceiveBufferSize = 4096;
                    s.SendBufferSize = 4096;
                    s.Connect(b.EndPoint);
                    sockets.Add(s);
                    s.Send(ConnectAndSubscribe("cs-" + i, "cs/" + i));
                }

                for (int i = 0; i < n; i++)
                {
                    // CONNACK (4 bytes) and SUBACK (5 bytes).
                    ReadExactly(sockets[i], rx, 9);
                    if (rx[0] != 0x20 || rx[3] != 0 || rx[4] != 0x90)
                    {
                        throw new InvalidOperationException("client " + i + " refused: " + rx[0].ToString("X2") + " " + rx[3]);
                    }

                    r.Connected++;
                }

                r.ConnectSeconds = watch.Elapsed.TotalSeconds;
                Thread.Sleep(500);
                r.RssAfterKb = (b.Pid > 0 ? BrokerUnderTest.ProcStatus(b.Pid, "VmRSS:") : 0);
                long? allocated1 = b.AllocatedBytes();
                if (allocated0 != null && allocated1 != null)
                {
                    r.AllocatedPerConnection = (allocated1.Value - allocated0.Value) / n;
                }

                r.HeapAfter = b.ManagedHeap();
                b.GcDump("after-" + n);

                watch.Restart();
                for (int i = 0; i < n; i++)
                {
                    sockets[i].Send(Publish("cs/" + ((i + 1) % n), i));
                }

                for (int i = 0; i < n; i++)
                {
                    string topic = "cs/" + i;
                    ReadExactly(sockets[i], rx, 2 + 2 + topic.Length + 4);
                    r.Delivered++;
                }

                r.RoundSeconds = watch.Elapsed.TotalSeconds;
                if (sustainSeconds > 0)
                {
                    Sustain(b, sockets, r, rx);
                }
            }
            catch (Exception e)
            {
                r.Error = e.GetType().Name + ": " + e.Message;
            }
            finally
            {
                foreach (Socket s in sockets)
                {
                    s.Close();
                }
            }

            return r;
        }

        /// <summary>
        /// Every client publishes one QoS 0 message to the next client's topic at the start of each second, then each
        /// reads the one for itself (a round that takes longer than a second starts the next one late: the rate then
        /// falls below 1 msg/s per client, and the table says how many were sent). Loss is what was sent and not read
        /// within 10 s of the last round.
        /// </summary>
        private static void Sustain(BrokerUnderTest b, List<Socket> sockets, Row r, byte[] rx)
        {
            int n = sockets.Count;
            byte[][] packets = new byte[n][];
            for (int i = 0; i < n; i++)
            {
                packets[i] = Publish("cs/" + ((i + 1) % n), i);
            }

            double cpu0 = b.CpuSeconds();
            var watch = Stopwatch.StartNew();
            for (int second = 0; second < r.SustainSeconds; second++)
            {
                double due = second;
                while (watch.Elapsed.TotalSeconds < due)
                {
                    Thread.Sleep(5);
                }

                for (int i = 0; i < n; i++)
                {
                    sockets[i].Send(packets[i]);
                    r.SustainSent++;
                }

                for (int i = 0; i < n; i++)
                {
                    string topic = "cs/" + i;
                    sockets[i].ReceiveTimeout = 10000;
                    try
                    {
                        ReadExactly(sockets[i], rx, 2 + 2 + topic.Length + 4, 10000);
                        r.SustainDelivered++;
                    }
                    catch (SocketException)
                    {
                        // Not within 10 s: counted as lost.
                    }
                }
            }

            r.SustainElapsed = watch.Elapsed.TotalSeconds;
            r.SustainCpuSeconds = b.CpuSeconds() - cpu0;
            r.SustainRssKb = (b.Pid > 0 ? BrokerUnderTest.ProcStatus(b.Pid, "VmRSS:") : 0);
        }

        public static string SustainTable(List<Row> rows)
        {
            var sb = new StringBuilder();
            sb.AppendLine("| broker | N | s | sent | delivered | lost | msg/s | broker CPU s | CPU % of one core | RSS after MB |");
            sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (Row r in rows)
            {
                if (r.Error != null || r.SustainSeconds == 0)
                {
                    continue;
                }

                sb.AppendLine("| " + r.Broker + " | " + r.N + " | " + r.SustainElapsed.ToString("0.0") + " | " + r.SustainSent + " | " + r.SustainDelivered
                    + " | " + (r.SustainSent - r.SustainDelivered) + " | " + (r.SustainDelivered / r.SustainElapsed).ToString("0") + " | "
                    + r.SustainCpuSeconds.ToString("0.0") + " | " + (100 * r.SustainCpuSeconds / r.SustainElapsed).ToString("0") + " | "
                    + (r.SustainRssKb / 1024.0).ToString("0.0") + " |");
            }

            return sb.ToString();
        }

        private static void ReadExactly(Socket s, byte[] into, int count, int timeoutMs)
        {
            s.ReceiveTimeout = timeoutMs;
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

        private static void ReadExactly(Socket s, byte[] into, int count)
        {
            s.ReceiveTimeout = 60000;
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

        private static byte[] ConnectAndSubscribe(string id, string topic)
        {
            var b = new List<byte> { 0x10, (byte)(12 + id.Length), 0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 4, 2, 0, 0, 0, (byte)id.Length };
            b.AddRange(Encoding.ASCII.GetBytes(id));
            b.AddRange(new byte[] { 0x82, (byte)(2 + 2 + topic.Length + 1), 0, 1, 0, (byte)topic.Length });
            b.AddRange(Encoding.ASCII.GetBytes(topic));
            b.Add(0);
            return b.ToArray();
        }

        private static byte[] Publish(string topic, int value)
        {
            var b = new List<byte> { 0x30, (byte)(2 + topic.Length + 4), 0, (byte)topic.Length };
            b.AddRange(Encoding.ASCII.GetBytes(topic));
            b.AddRange(BitConverter.GetBytes(value));
            return b.ToArray();
        }
    }
}
