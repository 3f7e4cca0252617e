using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Net;
using System.Text;
using System.Threading;
using System;
using Device.Protocol;
using Fuzz.Shared;

namespace Fuzz.Process
{
    /// <summary>
    /// Drives one host broker process with mutated real sessions from several client threads at once. Each input is
    /// a seed session with one packet mutated (or the whole stream, or none), sent in a few chunks; the broker's
    /// answer is read until it closes or goes quiet. Some connections are left open on purpose and must be closed
    /// by the broker by their deadline (connect timeout, or 1.5 times the accepted keep-alive). Between inputs a
    /// probe checks that a well-behaved client still gets service; the process and its log are watched throughout.
    /// </summary>
    public sealed class ProcessFuzzer
    {
        // The Host profile's connect timeout (BrokerOptions.Host().ConnectTimeoutMs); slack for the 100 ms tick and a busy machine.
        private const int ConnectTimeoutMs = 10000;
        private const int SlackMs = 4000;
        private const int MaxWatched = 48;

        private readonly FuzzSetup _setup;
        private readonly SeedSession[] _seeds;
        private readonly int _seed;
        private readonly int _workers;
        private readonly ConcurrentDictionary<string, byte> _responses = new ConcurrentDictionary<string, byte>();
        private readonly List<Watched> _watched = new List<Watched>();
        private long _executions;
        private long _bytes;
        private int _watchedTotal;
        private int _pastTimeout;
        private int _probesOk;
        private int _probesFailed;
        private readonly ConcurrentQueue<string> _notes = new ConcurrentQueue<string>();

        private sealed class Watched
        {
            public Socket Socket;
            public long Deadline;
            public string What;
        }

        public ProcessFuzzer(FuzzSetup setup, SeedSession[] seeds, int seed, int workers)
        {
            _setup = setup;
            _seeds = new SeedSession[seeds.Length];
            for (int i = 0; i < seeds.Length; i++)
            {
                // Keep-alive 3: an accepted session left open must be closed within 4.5 s (plus slack).
                _seeds[i] = seeds[i].WithKeepAlive(3);
            }
            _seed = seed;
            _workers = workers;
        }

        public FuzzReport Run(TimeSpan duration)
        {
            string dir = Path.Combine(Path.GetTempPath(), "process-fuzz-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            FuzzReport report = new FuzzReport { Setup = _setup.Name };
            Stopwatch clock = Stopwatch.StartNew();
            try
            {
                using BrokerProcess broker = new BrokerProcess(_setup.Write(dir));
                long end = Environment.TickCount64 + (long)duration.TotalMilliseconds;
                Thread[] threads = new Thread[_workers];
                for (int w = 0; w < _workers; w++)
                {
                    int worker = w;
                    threads[w] = new Thread(() => Work(broker, worker, end)) { IsBackground = true, Name = "fuzz worker " + w };
                    threads[w].Start();
                }

                int probe = 0;
                while (Environment.TickCount64 < end && !broker.Died)
                {
                    Thread.Sleep(1000);
                    Probe(broker, probe++);
                    CheckWatched(false);
                }
                foreach (Thread t in threads)
                {
                    t.Join();
                }

                // The connections left open must all be closed by the broker by their deadlines.
                while (!broker.Died && WatchedCount() > 0)
                {
                    Thread.Sleep(250);
                    CheckWatched(false);
                }
                CheckWatched(true);
                if (!broker.Died)
                {
                    Probe(broker, probe);
                }

                report.ProcessExits = broker.Died ? 1 : 0;
                report.ExitCode = broker.Died ? broker.ExitCode : 0;
                if (broker.Died)
                {
                    _notes.Enqueue("the broker process exited with code " + broker.ExitCode + "; its last lines:\n" + broker.Tail);
                }
                report.ExceptionLines = broker.Findings;
                report.LogLines = broker.Lines;
            }
            finally
            {
                try
                {
                    Directory.Delete(dir, true);
                }
                catch (IOException)
                {
                }
            }

            report.Seconds = clock.Elapsed.TotalSeconds;
            report.Executions = Interlocked.Read(ref _executions);
            report.BytesSent = Interlocked.Read(ref _bytes);
            report.DistinctResponses = _responses.Count;
            report.WatchedConnections = _watchedTotal;
            report.PastTimeout = _pastTimeout;
            report.ProbesOk = _probesOk;
            report.ProbesFailed = _probesFailed;
            report.Notes.AddRange(_notes);
            return report;
        }

        private void Probe(BrokerProcess broker, int n)
        {
            if (broker.Died)
            {
                return;
            }
            string problem = HealthProbe.Check(broker.Port, n);
            if (problem == null)
            {
                Interlocked.Increment(ref _probesOk);
            }
            else
            {
                Interlocked.Increment(ref _probesFailed);
                _notes.Enqueue("healthy-client probe " + n + ": " + problem);
            }
        }

        private void Work(BrokerProcess broker, int worker, long end)
        {
            Random rng = new Random(_seed * 977 + worker);
            byte[] input = new byte[16384];
            byte[] scratch = new byte[8192];
            byte[] answer = new byte[65536];
            while (Environment.TickCount64 < end && !broker.Died)
            {
                int length = NextInput(rng, input, scratch);
                try
                {
                    One(broker.Port, rng, input, length, answer);
                }
                catch (SocketException)
                {
                    // The broker may reset a connection it refused; that is an answer, not a finding.
                }
                Interlocked.Increment(ref _executions);
                Interlocked.Add(ref _bytes, length);
            }
        }

        /// <summary>A seed session with one packet mutated (most inputs), the whole stream mutated, or the seed as it is.</summary>
        private int NextInput(Random rng, byte[] input, byte[] scratch)
        {
            SeedSession session = _seeds[rng.Next(_seeds.Length)];
            byte[][] packets = session.Packets;
            int mode = rng.Next(10);
            int length = 0;
            if (mode < 7)
            {
                int k = rng.Next(packets.Length);
                bool dropRest = rng.Next(3) == 0;
                for (int i = 0; i < packets.Length && (i <= k || !dropRest); i++)
                {
                    if (i == k)
                    {
                        Mutator m = new Mutator(rng.Next(), new[] { packets[i] });
                        int n = m.Next(scratch);
                        length = Append(input, length, scratch, n);
                    }
                    else
                    {
                        length = Append(input, length, packets[i], packets[i].Length);
                    }
                }
                return length;
            }

            for (int i = 0; i < packets.Length; i++)
            {
                length = Append(input, length, packets[i], packets[i].Length);
            }
            if (mode < 9)
            {
                byte[] whole = new byte[length];
                Array.Copy(input, whole, length);
                Mutator m = new Mutator(rng.Next(), new[] { whole });
                length = m.Next(input);
            }
            return length;
        }

        private static int Append(byte[] dst, int at, byte[] src, int n)
        {
            n = Math.Min(n, dst.Length - at);
            Array.Copy(src, 0, dst, at, n);
            return at + n;
        }

        private void One(int port, Random rng, byte[] input, int length, byte[] answer)
        {
            Socket s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            bool keep = false;
            try
            {
                long opened = Environment.TickCount64;
                s.Connect(new IPEndPoint(IPAddress.Loopback, port));
                int chunks = 1 + rng.Next(3);
                int at = 0;
                for (int c = 0; c < chunks && at < length; c++)
                {
                    int n = c == chunks - 1 ? length - at : rng.Next(length - at + 1);
                    if (n > 0)
                    {
                        s.Send(input, at, n, SocketFlags.None);
                        at += n;
                    }
                }
                long sent = Environment.TickCount64;

                int got = ReadAnswer(s, answer, out bool closed);
                string signature = Answer.Signature(answer, got, closed, out bool accepted);
                _responses.TryAdd(signature, 0);
                if (closed)
                {
                    return;
                }

                if (rng.Next(4) == 0 && WatchedCount() < MaxWatched)
                {
                    int keepAlive = accepted ? Answer.KeepAliveOf(input, length) : -1;
                    long deadline = keepAlive > 0 ? sent + keepAlive * 1500L + SlackMs : opened + ConnectTimeoutMs + SlackMs;
                    keep = true;
                    s.Blocking = false;
                    lock (_watched)
                    {
                        _watched.Add(new Watched { Socket = s, Deadline = deadline, What = signature + " after " + Hex(input, Math.Min(length, 48)) });
                    }
                    Interlocked.Increment(ref _watchedTotal);
                }
            }
            finally
            {
                if (!keep)
                {
                    s.Dispose();
                }
            }
        }

        /// <summary>Reads until the broker closes, or nothing more arrives for a moment (at most a second in all).</summary>
        private static int ReadAnswer(Socket s, byte[] answer, out bool closed)
        {
            closed = false;
            int got = 0;
            long end = Environment.TickCount64 + 1000;
            while (Environment.TickCount64 < end)
            {
                if (!s.Poll(40000, SelectMode.SelectRead))
                {
                    break;
                }
                int n;
                try
                {
                    n = s.Receive(answer, got, Math.Max(1, answer.Length - got), SocketFlags.None);
                }
                catch (SocketException)
                {
                    closed = true;
                    break;
                }
                if (n == 0)
                {
                    closed = true;
                    break;
                }
                got = Math.Min(got + n, answer.Length - 1);
            }
            return got;
        }

        private int WatchedCount()
        {
            lock (_watched)
            {
                return _watched.Count;
            }
        }

        /// <summary>A watched connection past its deadline must have been closed by the broker; one still open is a finding.</summary>
        private void CheckWatched(bool final)
        {
            long now = Environment.TickCount64;
            List<Watched> due = new List<Watched>();
            lock (_watched)
            {
                for (int i = _watched.Count - 1; i >= 0; i--)
                {
                    if (final || now >= _watched[i].Deadline || IsClosed(_watched[i].Socket))
                    {
                        due.Add(_watched[i]);
                        _watched.RemoveAt(i);
                    }
                }
            }
            foreach (Watched w in due)
            {
                if (!IsClosed(w.Socket))
                {
                    Interlocked.Increment(ref _pastTimeout);
                    _notes.Enqueue("connection still open " + (now - w.Deadline + SlackMs) + " ms past its timeout: " + w.What);
                }
                w.Socket.Dispose();
            }
        }

        /// <summary>Drains what the broker sent (it may route messages to the session) and tells whether it closed.</summary>
        private static bool IsClosed(Socket s)
        {
            byte[] drain = new byte[4096];
            try
            {
                while (true)
                {
                    int n = s.Receive(drain, 0, drain.Length, SocketFlags.None);
                    if (n == 0)
                    {
                        return true;
                    }
                }
            }
            catch (SocketException e)
            {
                return e.SocketErrorCode != SocketError.WouldBlock;
            }
        }

        private static string Hex(byte[] b, int n)
        {
            return Convert.ToHexString(b, 0, n).ToLowerInvariant();
        }
    }
}
