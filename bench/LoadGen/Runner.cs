using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Threading;
using System;

namespace LoadGen
{
    /// <summary>
    /// Runs one scenario against a broker on one thread (an epoll loop over all its connections) and counts what
    /// arrived. Bounded: it gives up when nothing arrives for the stall time, or at the deadline.
    /// </summary>
    public static class Runner
    {
        private static int runNumber;

        /// <summary>
        /// onStart runs once every client is connected and subscribed, just before the first publication, and
        /// onEnd once the last message arrived: the harness reads the broker's counters there, so connection
        /// set-up and tear-down stay out of the steady-state numbers.
        /// </summary>
        /// <param name="subscribeAt">Where the subscribers connect when not to the publishers' broker (the bridged runs: the upstream).</param>
        public static RunResult Run(IPEndPoint broker, Scenario sc, TimeSpan deadline, TimeSpan stall, Action onStart = null, Action onEnd = null,
            IPEndPoint subscribeAt = null)
        {
            int run = Interlocked.Increment(ref runNumber);
            string prefix = "lg" + Environment.ProcessId + "r" + run;
            var flows = new Flow[sc.Publishers];
            for (int p = 0; p < flows.Length; p++)
            {
                flows[p] = new Flow(sc.FanOut);
            }

            var conns = new List<Conn>();
            var subs = new Subscriber[sc.Subscribers];
            var pubs = new Publisher[sc.Publishers];
            var result = new RunResult { Scenario = sc, Expected = sc.Deliveries };
            try
            {
                // Subscribers first: a message published before its subscription exists would be lost by design.
                for (int s = 0; s < subs.Length; s++)
                {
                    Conn c = Open(subscribeAt ?? broker, prefix + "s" + s, conns, !PersistentSubscribers);
                    c.Subscribe(TopicOf(prefix, sc, s), sc.Qos, 5000);
                    int[] from = sc.Topology == Topology.FanIn ? All(sc.Publishers) : sc.Topology == Topology.FanOut ? new[] { 0 } : new[] { s };
                    subs[s] = new Subscriber(c, sc, flows, from, sc.Topology == Topology.FanOut ? s : 0);
                }

                for (int p = 0; p < pubs.Length; p++)
                {
                    Conn c = Open(broker, prefix + "p" + p, conns);
                    byte[] topic = Encoding.ASCII.GetBytes(TopicOf(prefix, sc, p));
                    pubs[p] = new Publisher(c, (ushort)p, flows[p], sc, topic);
                }
            }
            catch (Exception e)
            {
                Close(conns);
                result.Error = "setup: " + e.Message;
                return result;
            }

            onStart?.Invoke();
            long start = Stopwatch.GetTimestamp();
            try
            {
                result.Error = Loop(sc, subs, pubs, start, deadline, stall);
            }
            catch (Exception e)
            {
                result.Error = e.GetType().Name + ": " + e.Message;
            }

            onEnd?.Invoke();
            long end = start;
            foreach (Subscriber s in subs)
            {
                result.Received += s.Received;
                result.Duplicates += s.Duplicates;
                end = Math.Max(end, s.LastArrival);
            }

            result.Seconds = (double)(end - start) / Stopwatch.Frequency;
            Percentiles(subs, out result.P50Us, out result.P99Us);
            long protocolErrors = 0, foreign = 0;
            foreach (Publisher p in pubs)
            {
                protocolErrors += p.ProtocolErrors;
            }

            foreach (Subscriber s in subs)
            {
                foreign += s.Foreign;
            }

            if (result.Error == null && foreign > 0)
            {
                result.Error = foreign + " unexpected messages";
            }

            if (result.Error == null && protocolErrors > 0)
            {
                result.Error = protocolErrors + " unexpected acknowledgements";
            }

            Close(conns);
            return result;
        }

        /// <summary>The event loop; returns null when every message arrived, otherwise why it gave up.</summary>
        private static string Loop(Scenario sc, Subscriber[] subs, Publisher[] pubs, long start, TimeSpan deadline, TimeSpan stall)
        {
            var clients = new IClient[subs.Length + pubs.Length];
            subs.CopyTo(clients, 0);
            pubs.CopyTo(clients, subs.Length);
            var writing = new bool[clients.Length];
            long freq = Stopwatch.Frequency;
            long stallTicks = (long)(stall.TotalSeconds * freq);
            long deadlineAt = start + (long)(deadline.TotalSeconds * freq);
            long lastProgress = start;
            long lastTotal = 0;
            long subsDoneAt = 0;
            long lastTrace = start;
            using var ep = new Epoll(clients.Length);
            for (int i = 0; i < clients.Length; i++)
            {
                clients[i].Conn.MakeNonBlocking();
                ep.Add(clients[i].Conn.Socket, i, Epoll.In);
            }

            while (true)
            {
                long now = Stopwatch.GetTimestamp();
                foreach (Publisher p in pubs)
                {
                    p.Pump(now);
                }

                for (int i = 0; i < clients.Length; i++)
                {
                    Conn c = clients[i].Conn;
                    bool pending = c.TxLength > 0 && !c.FlushSome();
                    if (pending != writing[i])
                    {
                        // Watch for writability only while something waits: level-triggered EPOLLOUT would spin.
                        writing[i] = pending;
                        ep.Modify(c.Socket, i, pending ? Epoll.In | Epoll.Out : Epoll.In);
                    }
                }

                long total = 0;
                bool subsDone = true;
                foreach (Subscriber s in subs)
                {
                    total += s.Received;
                    subsDone &= s.Done;
                }

                bool pubsDone = true;
                foreach (Publisher p in pubs)
                {
                    pubsDone &= p.Finished;
                }

                if (subsDone && subsDoneAt == 0)
                {
                    subsDoneAt = now;
                }

                // Once all arrived, the last QoS 1/2 acknowledgements get a moment, for a clean end, not for the count.
                if (subsDone && (pubsDone || now - subsDoneAt > freq / 2))
                {
                    return null;
                }

                if (Trace && now - lastTrace > freq / 10)
                {
                    TraceLine(pubs, total, (now - start) * 1000 / freq);
                    lastTrace = now;
                }

                if (total != lastTotal)
                {
                    lastTotal = total;
                    lastProgress = now;
                }
                else if (sc.Qos == 0 && pubsDone && now - lastProgress > freq)
                {
                    // All sent, and a second without arrivals: the rest was dropped, which QoS 0 allows. At QoS 1/2
                    // a slow broker is only slow (Mosquitto's QoS 2 fan-in goes quiet for seconds): wait for it.
                    return null;
                }
                else if (now - lastProgress > stallTicks)
                {
                    return "stalled: nothing arrived for " + stall.TotalSeconds + " s (" + State(pubs, subs) + ")";
                }

                if (now > deadlineAt)
                {
                    return "deadline of " + deadline.TotalSeconds + " s passed";
                }

                int n = ep.Wait(50);
                now = Stopwatch.GetTimestamp();
                for (int k = 0; k < n; k++)
                {
                    IClient c = clients[ep.Token(k)];
                    uint ev = ep.Events(k);
                    if ((ev & (Epoll.In | Epoll.Err | Epoll.Hup)) != 0)
                    {
                        c.OnReadable(now);
                    }
                }
            }
        }

        /// <summary>
        /// LOADGEN_TRACE=1: every 100 ms one line on stderr of where the run stands (wall clock in Unix ms, to line
        /// up with `perf stat -I` or vmstat, and the machine's steal so far): how issue 10's spread was found.
        /// </summary>
        private static void TraceLine(Publisher[] pubs, long total, long elapsedMs)
        {
            long sent = 0, inFlight = 0;
            foreach (Publisher p in pubs)
            {
                sent += p.Sent;
                inFlight += p.InFlight;
            }

            Console.Error.WriteLine("e " + DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + " t " + elapsedMs + " ms recv " + total
                + " sent " + sent + " unacked " + inFlight + " steal " + BrokerUnderTest.MachineSteal().ToString("0.00", System.Globalization.CultureInfo.InvariantCulture));
        }

        /// <summary>Where a stalled run stands, for the error message.</summary>
        private static string State(Publisher[] pubs, Subscriber[] subs)
        {
            long sent = 0, inFlight = 0, received = 0;
            foreach (Publisher p in pubs)
            {
                sent += p.Sent;
                inFlight += p.InFlight;
            }

            foreach (Subscriber s in subs)
            {
                received += s.Received;
            }

            return "published " + sent + ", unacknowledged " + inFlight + ", received " + received;
        }

        /// <summary>The topic a subscriber (by index) listens on, or a publisher (by index) publishes to.</summary>
        private static string TopicOf(string prefix, Scenario sc, int index)
        {
            switch (sc.Topology)
            {
                case Topology.FanIn:
                    return prefix + "/in";
                case Topology.FanOut:
                    return prefix + "/out";
                default:
                    return prefix + "/pair/" + index;
            }
        }

        private static int[] All(int n)
        {
            var a = new int[n];
            for (int i = 0; i < n; i++)
            {
                a[i] = i;
            }

            return a;
        }

        /// <summary>--persistent-subscribers: subscribers connect with CleanSession 0 (issue 13: what a broker's persistence journals).</summary>
        public static bool PersistentSubscribers;

        private static readonly bool Trace = Environment.GetEnvironmentVariable("LOADGEN_TRACE") == "1";

        private static Conn Open(IPEndPoint broker, string clientId, List<Conn> conns)
        {
            return Open(broker, clientId, conns, true);
        }

        private static Conn Open(IPEndPoint broker, string clientId, List<Conn> conns, bool cleanSession)
        {
            Conn c = Conn.Open(broker, clientId, 5000, cleanSession);
            conns.Add(c);
            return c;
        }

        private static void Close(List<Conn> conns)
        {
            foreach (Conn c in conns)
            {
                c.Disconnect();
            }
        }

        private static void Percentiles(Subscriber[] subs, out double p50, out double p99)
        {
            long n = 0;
            foreach (Subscriber s in subs)
            {
                n += s.Received;
            }

            p50 = p99 = double.NaN;
            if (n == 0)
            {
                return;
            }

            var all = new int[n];
            long k = 0;
            foreach (Subscriber s in subs)
            {
                Array.Copy(s.Latencies, 0, all, k, s.Received);
                k += s.Received;
            }

            Array.Sort(all);
            p50 = all[(int)Math.Min(n - 1, (long)(n * 0.50))];
            p99 = all[(int)Math.Min(n - 1, (long)(n * 0.99))];
        }
    }
}
