using System.Collections.Generic;
using System.Net.Sockets;
using System.Net;
using System.Threading;
using System;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// try_private against an upstream that answers by a script: our PC broker as a process bridging to a bare TCP
    /// listener that reads each CONNECT's protocol level byte (0x84 with the bridge bit, 0x04 without it) and then
    /// closes, or answers CONNACK 0 or 1. CONNACK 1 to the bit turns it off for good (Mosquitto's handle__connack sets
    /// try_private_accepted = false). A close before CONNACK turns it off for the next attempt only: an upstream like
    /// RabbitMQ closes on the bit, but so does a flaky uplink, and a Mosquitto upstream reached without the bit sends a
    /// bridge its own messages back.
    /// </summary>
    public sealed class BridgeTryPrivateTests
    {
        private const byte WithBit = 0x84;
        private const byte WithoutBit = 0x04;

        [Fact]
        public void A_close_before_connack_without_the_bit_too_sends_the_bit_again()
        {
            // The uplink drops every connection for a while: bit, no bit, then the bit again.
            List<byte> levels = Run(level => Answer.Close, 3);
            Assert.Equal(new byte[] { WithBit, WithoutBit, WithBit }, levels.GetRange(0, 3).ToArray());
        }

        [Fact]
        public void An_upstream_that_closes_on_the_bit_is_reached_without_it_and_tried_with_it_after_that_session()
        {
            // RabbitMQ-like: the bit gets a close, no bit gets CONNACK 0; the upstream then ends that session.
            List<byte> levels = Run(level => level == WithBit ? Answer.Close : Answer.AcceptThenClose, 4);
            Assert.Equal(new byte[] { WithBit, WithoutBit, WithBit, WithoutBit }, levels.GetRange(0, 4).ToArray());
        }

        [Fact]
        public void Connack_1_to_the_bit_turns_it_off_for_good()
        {
            List<byte> levels = Run(level => level == WithBit ? Answer.Refuse : Answer.AcceptThenClose, 4);
            Assert.Equal(new byte[] { WithBit, WithoutBit, WithoutBit, WithoutBit }, levels.GetRange(0, 4).ToArray());
        }

        private enum Answer
        {
            Close,
            AcceptThenClose,
            Refuse,
        }

        /// <summary>Runs the bridge against the scripted upstream until it has seen this many CONNECTs; their levels in order.</summary>
        private static List<byte> Run(Func<byte, Answer> script, int connects)
        {
            TcpListener upstream = new TcpListener(IPAddress.Loopback, 0);
            upstream.Start();
            int upstreamPort = ((IPEndPoint)upstream.LocalEndpoint).Port;
            List<byte> levels = new List<byte>();
            Thread serve = new Thread(() => Serve(upstream, script, levels)) { IsBackground = true };
            serve.Start();
            try
            {
                using TempDir dir = new TempDir();
                int ourPort = ConfiguredBrokerProcess.FreePort();
                string conf = dir.Write("ours.conf", "listener " + ourPort + " 127.0.0.1\nallow_anonymous true\n"
                    + "connection scripted\naddress 127.0.0.1:" + upstreamPort + "\nrestart_timeout 1 1\n"
                    + "notifications false\ntopic t/# out 0\n");
                using ConfiguredBrokerProcess ours = ConfiguredBrokerProcess.Ours(conf, ourPort);
                BridgeRig.Wait(() => { lock (levels) { return levels.Count >= connects; } }, connects + " CONNECTs at the scripted upstream",
                    () => ours.Output, 90);
                lock (levels)
                {
                    return new List<byte>(levels);
                }
            }
            finally
            {
                upstream.Stop();
            }
        }

        private static void Serve(TcpListener upstream, Func<byte, Answer> script, List<byte> levels)
        {
            while (true)
            {
                Socket s;
                try
                {
                    s = upstream.AcceptSocket();
                }
                catch (SocketException)
                {
                    return;
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
                catch (InvalidOperationException)
                {
                    // Stopped by Run: the test is over.
                    return;
                }

                using (s)
                {
                    try
                    {
                        s.ReceiveTimeout = 10000;
                        int level = ReadLevel(s);
                        if (level < 0)
                        {
                            continue;
                        }

                        lock (levels)
                        {
                            levels.Add((byte)level);
                        }

                        Answer a = script((byte)level);
                        if (a == Answer.Refuse)
                        {
                            s.Send(new byte[] { 0x20, 0x02, 0x00, 0x01 });
                        }
                        else if (a == Answer.AcceptThenClose)
                        {
                            s.Send(new byte[] { 0x20, 0x02, 0x00, 0x00 });
                            // Let the bridge see the session up (its SUBSCRIBE or nothing), then end it.
                            Thread.Sleep(300);
                        }

                        s.Shutdown(SocketShutdown.Both);
                    }
                    catch (SocketException)
                    {
                    }
                    catch (ObjectDisposedException)
                    {
                    }
                }
            }
        }

        /// <summary>The protocol level byte of a CONNECT: fixed header, remaining length, protocol name, level.</summary>
        private static int ReadLevel(Socket s)
        {
            byte[] b = new byte[1];
            if (!ReadExactly(s, b, 1) || b[0] != 0x10)
            {
                return -1;
            }

            int length = 0;
            int shift = 0;
            do
            {
                if (!ReadExactly(s, b, 1))
                {
                    return -1;
                }

                length |= (b[0] & 0x7F) << shift;
                shift += 7;
            }
            while ((b[0] & 0x80) != 0);

            byte[] body = new byte[length];
            if (length < 3 || !ReadExactly(s, body, length))
            {
                return -1;
            }

            int nameLength = (body[0] << 8) | body[1];
            return body[2 + nameLength];
        }

        private static bool ReadExactly(Socket s, byte[] buffer, int count)
        {
            int got = 0;
            while (got < count)
            {
                int n = s.Receive(buffer, got, count - got, SocketFlags.None);
                if (n <= 0)
                {
                    return false;
                }

                got += n;
            }

            return true;
        }
    }
}
