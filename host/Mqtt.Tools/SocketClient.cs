using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Net;
using System.Text;
using System;
using Device.Client;
using Device.Protocol;

namespace Mqtt.Tools
{
    /// <summary>
    /// Drives a <see cref="MqttClient"/> over one TCP socket: receive into the engine's buffer, send what it
    /// queued, tick it. Single-threaded polling like the board's transport; events go on to the command, and
    /// with -d every packet is logged to stdout first, as libmosquitto does.
    /// </summary>
    public sealed class SocketClient : IClientListener, IDisposable
    {
        public enum Ending { Done, EngineClosed, ConnectionLost, TimedOut }

        private static readonly Stopwatch Clock = Stopwatch.StartNew();

        private readonly IClientListener _app;
        private readonly Output _output;
        private readonly bool _debug;
        private Socket _socket;

        public SocketClient(MqttClient engine, IClientListener app, Output output, bool debug, string clientId)
        {
            Engine = engine;
            _app = app;
            _output = output;
            _debug = debug;
            ClientId = clientId;
            engine.TraceEnabled = debug;
            engine.Listener = this;
        }

        public MqttClient Engine { get; }

        public string ClientId { get; }

        /// <summary>Why the engine closed the connection, when it did (see IClientListener.Closed).</summary>
        public ClientError CloseReason { get; private set; }

        public static long Now { get { return Clock.ElapsedMilliseconds; } }

        /// <summary>Opens the TCP connection; on failure writes Mosquitto's message to err and returns false.</summary>
        public bool Open(string host, int port, TextWriter err, bool quiet)
        {
            CloseSocket();
            IPAddress[] addresses;
            try
            {
                addresses = Dns.GetHostAddresses(host);
            }
            catch (SocketException)
            {
                Say(err, quiet, "Unable to connect (Lookup error.).\n");
                return false;
            }

            SocketException last = null;
            foreach (IPAddress address in addresses)
            {
                var s = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    s.Connect(new IPEndPoint(address, port));
                    _socket = s;
                    return true;
                }
                catch (SocketException e)
                {
                    last = e;
                    s.Dispose();
                }
            }

            string why = last == null ? "Lookup error." : last.SocketErrorCode == SocketError.ConnectionRefused ? "Connection refused" : last.Message;
            Say(err, quiet, "Error: " + why + "\n");
            return false;
        }

        /// <summary>
        /// Pumps until done() holds, the engine ended the connection and everything queued went out, the peer
        /// closed the socket, or deadlineMs (a Now value; negative for none) passed. idle runs once per turn.
        /// </summary>
        public Ending Run(Func<bool> done, Action idle, long deadlineMs)
        {
            while (true)
            {
                if (done())
                {
                    Flush();
                    return Ending.Done;
                }

                if (!Flush())
                {
                    return Lost();
                }

                if (Engine.State == ClientState.Disconnected && Engine.TransmitCount == 0)
                {
                    CloseSocket();
                    return Ending.EngineClosed;
                }

                if (deadlineMs >= 0 && Now >= deadlineMs)
                {
                    return Ending.TimedOut;
                }

                try
                {
                    int room = Engine.ReceiveBuffer.Length - Engine.ReceiveCount;
                    if (room > 0 && _socket.Poll(20000, SelectMode.SelectRead))
                    {
                        int n = _socket.Receive(Engine.ReceiveBuffer, Engine.ReceiveCount, room, SocketFlags.None);
                        if (n <= 0)
                        {
                            return Lost();
                        }

                        Engine.Received(n, Now);
                    }
                    else if (Engine.ReceiveCount > 0)
                    {
                        // Processing may have paused for transmit room that Flush has made since.
                        Engine.Received(0, Now);
                    }
                }
                catch (SocketException)
                {
                    return Lost();
                }

                Engine.Tick(Now);
                idle?.Invoke();
            }
        }

        /// <summary>Sends everything queued; false when the socket broke.</summary>
        public bool Flush()
        {
            try
            {
                while (Engine.TransmitCount > 0 && _socket != null)
                {
                    int n = _socket.Send(Engine.TransmitBuffer, 0, Engine.TransmitCount, SocketFlags.None);
                    Engine.Sent(n);
                }

                return true;
            }
            catch (SocketException)
            {
                return false;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }

        private Ending Lost()
        {
            Engine.ConnectionLost();
            CloseSocket();
            return Ending.ConnectionLost;
        }

        public void CloseSocket()
        {
            if (_socket == null)
            {
                return;
            }

            try
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
            }

            _socket.Dispose();
            _socket = null;
        }

        public void Dispose()
        {
            CloseSocket();
        }

        private static void Say(TextWriter err, bool quiet, string text)
        {
            if (!quiet)
            {
                err.Write(text);
            }
        }

        // ---- IClientListener: log, then hand on to the command ---------------------------------------------

        public void PacketTraced(MqttClient client, bool outgoing, byte[] buffer, int offset, FixedHeader header)
        {
            _output.Line(DebugLog.Describe(ClientId, outgoing, buffer, offset, header));
        }

        public void Connected(MqttClient client, byte returnCode, bool sessionPresent)
        {
            _app.Connected(client, returnCode, sessionPresent);
        }

        public void MessageReceived(MqttClient client, byte[] buffer, PublishView message)
        {
            _app.MessageReceived(client, buffer, message);
        }

        public void Subscribed(MqttClient client, ushort packetId, byte[] buffer, int codesOffset, int codesLength)
        {
            _app.Subscribed(client, packetId, buffer, codesOffset, codesLength);
        }

        public void Unsubscribed(MqttClient client, ushort packetId)
        {
            _app.Unsubscribed(client, packetId);
        }

        public void PublishFinished(MqttClient client, ushort packetId, bool acknowledged)
        {
            _app.PublishFinished(client, packetId, acknowledged);
        }

        public void Closed(MqttClient client, ClientError reason)
        {
            CloseReason = reason;
            _app.Closed(client, reason);
        }
    }
}
