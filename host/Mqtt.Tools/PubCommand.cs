using System.Collections.Concurrent;
using System.IO;
using System.Threading;
using System;
using Device.Client;
using Device.Protocol;

namespace Mqtt.Tools
{
    /// <summary>
    /// `pub`: mosquitto_pub on our client engine. Connects, publishes one message (-m, -f, -s, -n) or one per
    /// stdin line (-l), waits for each QoS 1/2 exchange to finish, disconnects. Exit codes as mosquitto_pub 2.0:
    /// 0 done, 1 usage or connect error, the CONNACK code when the broker refuses, 7 when the connection is lost.
    /// </summary>
    public sealed class PubCommand : IClientListener
    {
        private const int ExitConnectionLost = 7;
        private const int ExitProtocol = 2;

        private readonly Options _o;
        private readonly TextWriter _err;
        private readonly byte[] _topic;
        private readonly BlockingCollection<byte[]> _lines;
        private byte[] _pendingLine;
        private bool _endOfInput;
        private bool _disconnectSent;
        private int _refusedCode;

        private PubCommand(Options o, TextWriter err)
        {
            _o = o;
            _err = err;
            _topic = System.Text.Encoding.UTF8.GetBytes(o.Topic);
            if (o.Mode == MessageMode.StdinLine)
            {
                _lines = new BlockingCollection<byte[]>();
            }
        }

        public static int Run(string[] args, Stream stdin, Stream stdout, TextWriter err)
        {
            Options o;
            Options.ParseResult parsed = Options.Parse(args, true, err, out o);
            if (parsed == Options.ParseResult.Help)
            {
                new Output(stdout).Write(Usage.Pub);
                return 1;
            }

            if (parsed == Options.ParseResult.Error || !LoadMessage(o, stdin, err))
            {
                return 1;
            }

            if (o.Topic == null || o.Mode == MessageMode.None)
            {
                err.Write("Error: Both topic and message must be supplied.\n");
                new Output(stdout).Write(Usage.Pub);
                return 1;
            }

            if (!o.CheckClientSetup(err))
            {
                return 1;
            }

            return new PubCommand(o, err).Publish(stdin, new Output(stdout));
        }

        private int Publish(Stream stdin, Output output)
        {
            ConnectOptions co = _o.ToConnectOptions();
            ConnectView view = new ConnectView();
            byte[] source = co.Build(view);

            int payload = _o.Message == null ? 0 : _o.Message.Length;
            int largest = Framing.PacketSize(4 + _topic.Length + payload);
            // One stdin line is one message: keep room for long lines, but only QoS 1/2 keeps copies in flight.
            int slot = _o.Mode == MessageMode.StdinLine ? 256 * 1024 : largest;
            int txSize = Math.Max(64 * 1024, Math.Max(largest, slot) + 1024);
            var engine = new MqttClient(64 * 1024, txSize, 20, _o.Qos > 0 ? slot : 1, null);
            using var client = new SocketClient(engine, this, output, _o.Debug, co.ClientId);
            if (!client.Open(_o.Host, _o.Port, _err, _o.Quiet))
            {
                return 1;
            }

            if (_lines != null)
            {
                StartLineReader(stdin);
            }

            if (engine.Connect(view, source, SocketClient.Now) != ClientResult.Ok)
            {
                _o.Say(_err, "Error: Invalid input.\n");
                return 1;
            }

            SocketClient.Ending end = client.Run(() => false, () => PumpLines(engine), -1);
            if (_refusedCode != 0)
            {
                _o.Say(_err, "Error: The connection was refused.\n");
                return _refusedCode;
            }

            if (end == SocketClient.Ending.ConnectionLost || client.CloseReason == ClientError.KeepAliveTimeout
                || client.CloseReason == ClientError.ConnackTimeout)
            {
                _o.Say(_err, "Error: The connection was lost.\n");
                return ExitConnectionLost;
            }

            if (client.CloseReason != ClientError.None)
            {
                _o.Say(_err, "Error: A network protocol error occurred when communicating with the broker.\n");
                return ExitProtocol;
            }

            return 0;
        }

        /// <summary>-f and -s read the whole message before connecting, with mosquitto_pub's errors.</summary>
        private static bool LoadMessage(Options o, Stream stdin, TextWriter err)
        {
            if (o.Mode == MessageMode.StdinFile)
            {
                var ms = new MemoryStream();
                stdin.CopyTo(ms);
                if (ms.Length == 0)
                {
                    o.Say(err, "Error: Zero length input.\n");
                    o.Say(err, "Error loading input from stdin.\n");
                    return false;
                }

                o.Message = ms.ToArray();
            }
            else if (o.Mode == MessageMode.File)
            {
                try
                {
                    o.Message = File.ReadAllBytes(o.File);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    o.Say(err, "Error: Unable to open file \"" + o.File + "\".\n");
                    o.Say(err, "Error loading input file \"" + o.File + "\".\n");
                    return false;
                }
            }

            if (o.Message != null && o.Message.Length > Framing.MaxRemainingLength - 4 - 65535)
            {
                o.Say(err, "Error: Message length must be less than 268435455 bytes.\n");
                return false;
            }

            return true;
        }

        private void Send(MqttClient engine, byte[] payload)
        {
            ushort id;
            ClientResult r = engine.Publish(_topic, 0, _topic.Length, payload, 0, payload == null ? 0 : payload.Length,
                (byte)_o.Qos, _o.Retain, out id);
            if (r == ClientResult.Ok)
            {
                if (_o.Qos == 0 && _lines == null)
                {
                    Disconnect(engine);
                }

                return;
            }

            _o.Say(_err, r == ClientResult.TooLarge ? "Error: Message payload is too large.\n" : "Error: Invalid input. Does your topic contain '+' or '#'?\n");
            Disconnect(engine);
        }

        private void Disconnect(MqttClient engine)
        {
            if (!_disconnectSent && engine.State != ClientState.Disconnected)
            {
                _disconnectSent = engine.Disconnect() == ClientResult.Ok;
            }
        }

        // ---- -l: a reader thread hands whole lines to the (single-threaded) engine loop ---------------------

        private void StartLineReader(Stream stdin)
        {
            var t = new Thread(() =>
            {
                var line = new MemoryStream();
                int b;
                while ((b = stdin.ReadByte()) >= 0)
                {
                    if (b == '\n')
                    {
                        _lines.Add(line.ToArray());
                        line.SetLength(0);
                    }
                    else
                    {
                        line.WriteByte((byte)b);
                    }
                }

                if (line.Length > 0)
                {
                    _lines.Add(line.ToArray());
                }

                _lines.CompleteAdding();
            })
            { IsBackground = true, Name = "stdin lines" };
            t.Start();
        }

        private void PumpLines(MqttClient engine)
        {
            if (_lines == null || engine.State != ClientState.Connected || _disconnectSent)
            {
                return;
            }

            while (!_endOfInput)
            {
                if (_pendingLine == null && !_lines.TryTake(out _pendingLine))
                {
                    _endOfInput = _lines.IsCompleted;
                    break;
                }

                ushort id;
                ClientResult r = engine.Publish(_topic, 0, _topic.Length, _pendingLine, 0, _pendingLine.Length, (byte)_o.Qos, _o.Retain, out id);
                if (r == ClientResult.InflightFull || r == ClientResult.TransmitBufferFull)
                {
                    return;
                }

                if (r != ClientResult.Ok)
                {
                    _o.Say(_err, "Error: Message payload is too large.\n");
                }

                _pendingLine = null;
            }

            if (_endOfInput && engine.InflightCount == 0)
            {
                Disconnect(engine);
            }
        }

        // ---- engine events ----------------------------------------------------------------------------------

        public void Connected(MqttClient client, byte returnCode, bool sessionPresent)
        {
            if (returnCode != 0)
            {
                _refusedCode = returnCode;
                _o.Say(_err, "Connection error: " + DebugLog.ConnackText(returnCode) + "\n");
                return;
            }

            if (_lines == null)
            {
                Send(client, _o.Mode == MessageMode.Null ? null : _o.Message);
            }
        }

        public void PublishFinished(MqttClient client, ushort packetId, bool acknowledged)
        {
            if (_lines == null)
            {
                Disconnect(client);
            }
        }

        public void MessageReceived(MqttClient client, byte[] buffer, PublishView message)
        {
        }

        public void Subscribed(MqttClient client, ushort packetId, byte[] buffer, int codesOffset, int codesLength)
        {
        }

        public void Unsubscribed(MqttClient client, ushort packetId)
        {
        }

        public void Closed(MqttClient client, ClientError reason)
        {
        }

        public void PacketTraced(MqttClient client, bool outgoing, byte[] buffer, int offset, FixedHeader header)
        {
        }
    }
}
