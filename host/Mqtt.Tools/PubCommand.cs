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

        private readonly Options o;
        private readonly TextWriter err;
        private readonly byte[] topic;
        private readonly BlockingCollection<byte[]> lines;
        private byte[] pendingLine;
        private bool endOfInput;
        private bool disconnectSent;
        private int refusedCode;

        private PubCommand(Options o, TextWriter err)
        {
            this.o = o;
            this.err = err;
            topic = System.Text.Encoding.UTF8.GetBytes(o.Topic);
            if (o.Mode == MessageMode.StdinLine)
            {
                lines = new BlockingCollection<byte[]>();
            }
        }

        public static int Run(string[] args, Stream stdin, Stream stdout, TextWriter err)
        {
            Options o;
            Options.Outcome parsed = Options.Parse(args, true, err, out o);
            if (parsed == Options.Outcome.Help)
            {
                new Output(stdout).Write(Usage.Pub);
                return 1;
            }

            if (parsed == Options.Outcome.Error || !LoadMessage(o, stdin, err))
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
            ConnectOptions co = o.ToConnectOptions();
            ConnectView view = new ConnectView();
            byte[] source = co.Build(view);

            int payload = o.Message == null ? 0 : o.Message.Length;
            int largest = Framing.PacketSize(4 + topic.Length + payload);
            // One stdin line is one message: keep room for long lines, but only QoS 1/2 keeps copies in flight.
            int slot = o.Mode == MessageMode.StdinLine ? 256 * 1024 : largest;
            int txSize = Math.Max(64 * 1024, Math.Max(largest, slot) + 1024);
            var engine = new MqttClient(64 * 1024, txSize, 20, o.Qos > 0 ? slot : 1, null);
            using var client = new SocketClient(engine, this, output, o.Debug, co.ClientId);
            if (!client.Open(o.Host, o.Port, err, o.Quiet))
            {
                return 1;
            }

            if (lines != null)
            {
                StartLineReader(stdin);
            }

            if (engine.Connect(view, source, SocketClient.Now) != ClientResult.Ok)
            {
                o.Say(err, "Error: Invalid input.\n");
                return 1;
            }

            SocketClient.Outcome end = client.Run(() => false, () => PumpLines(engine), -1);
            if (refusedCode != 0)
            {
                o.Say(err, "Error: The connection was refused.\n");
                return refusedCode;
            }

            if (end == SocketClient.Outcome.ConnectionLost || client.CloseReason == ClientError.KeepAliveTimeout
                || client.CloseReason == ClientError.ConnackTimeout)
            {
                o.Say(err, "Error: The connection was lost.\n");
                return ExitConnectionLost;
            }

            if (client.CloseReason != ClientError.None)
            {
                o.Say(err, "Error: A network protocol error occurred when communicating with the broker.\n");
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
            ClientResult r = engine.Publish(topic, 0, topic.Length, payload, 0, payload == null ? 0 : payload.Length,
                (byte)o.Qos, o.Retain, out id);
            if (r == ClientResult.Ok)
            {
                if (o.Qos == 0 && lines == null)
                {
                    Disconnect(engine);
                }

                return;
            }

            o.Say(err, r == ClientResult.TooLarge ? "Error: Message payload is too large.\n" : "Error: Invalid input. Does your topic contain '+' or '#'?\n");
            Disconnect(engine);
        }

        private void Disconnect(MqttClient engine)
        {
            if (!disconnectSent && engine.State != ClientState.Disconnected)
            {
                disconnectSent = engine.Disconnect() == ClientResult.Ok;
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
                        lines.Add(line.ToArray());
                        line.SetLength(0);
                    }
                    else
                    {
                        line.WriteByte((byte)b);
                    }
                }

                if (line.Length > 0)
                {
                    lines.Add(line.ToArray());
                }

                lines.CompleteAdding();
            })
            { IsBackground = true, Name = "stdin lines" };
            t.Start();
        }

        private void PumpLines(MqttClient engine)
        {
            if (lines == null || engine.State != ClientState.Connected || disconnectSent)
            {
                return;
            }

            while (!endOfInput)
            {
                if (pendingLine == null && !lines.TryTake(out pendingLine))
                {
                    endOfInput = lines.IsCompleted;
                    break;
                }

                ushort id;
                ClientResult r = engine.Publish(topic, 0, topic.Length, pendingLine, 0, pendingLine.Length, (byte)o.Qos, o.Retain, out id);
                if (r == ClientResult.InflightFull || r == ClientResult.TransmitBufferFull)
                {
                    return;
                }

                if (r != ClientResult.Ok)
                {
                    o.Say(err, "Error: Message payload is too large.\n");
                }

                pendingLine = null;
            }

            if (endOfInput && engine.InflightCount == 0)
            {
                Disconnect(engine);
            }
        }

        // ---- engine events ----------------------------------------------------------------------------------

        public void Connected(MqttClient client, byte returnCode, bool sessionPresent)
        {
            if (returnCode != 0)
            {
                refusedCode = returnCode;
                o.Say(err, "Connection error: " + DebugLog.ConnackText(returnCode) + "\n");
                return;
            }

            if (lines == null)
            {
                Send(client, o.Mode == MessageMode.Null ? null : o.Message);
            }
        }

        public void PublishFinished(MqttClient client, ushort packetId, bool acknowledged)
        {
            if (lines == null)
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
