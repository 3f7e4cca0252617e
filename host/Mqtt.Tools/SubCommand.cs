using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System;
using Device.Client;
using Device.Protocol;

namespace Mqtt.Tools
{
    /// <summary>
    /// `sub`: mosquitto_sub on our client engine. Subscribes to every -t at -q, prints each message (-v: with
    /// its topic, -N: without a newline) until -C messages arrived, -W seconds passed or Ctrl+C; reconnects
    /// after a lost connection as mosquitto_sub does. Exit codes as mosquitto_sub 2.0: 0 done, 1 usage or
    /// connect error, the CONNACK code when refused, 27 when -W expires.
    /// </summary>
    public sealed class SubCommand : IClientListener
    {
        private const int ExitTimedOut = 27;
        private const int ExitConnectionLost = 7;
        private const int ExitProtocol = 2;
        private const int ReconnectDelayMs = 1000;

        private readonly Options _o;
        private readonly Output _output;
        private readonly TextWriter _err;
        private readonly byte[][] _filters;
        private readonly byte[] _qos;
        private int _received;
        private int _refusedCode;
        private bool _everConnected;
        private volatile bool _stopRequested;

        private SubCommand(Options o, Output output, TextWriter err)
        {
            _o = o;
            _output = output;
            _err = err;
            _filters = new byte[o.Topics.Count][];
            _qos = new byte[o.Topics.Count];
            for (int i = 0; i < _filters.Length; i++)
            {
                _filters[i] = Encoding.UTF8.GetBytes(o.Topics[i]);
                _qos[i] = (byte)o.Qos;
            }
        }

        public static int Run(string[] args, Stream stdout, TextWriter err)
        {
            Options o;
            Options.ParseResult parsed = Options.Parse(args, false, err, out o);
            if (parsed == Options.ParseResult.Help)
            {
                new Output(stdout).Write(Usage.Sub);
                return 1;
            }

            if (parsed == Options.ParseResult.Error || !o.CheckClientSetup(err))
            {
                return 1;
            }

            var command = new SubCommand(o, new Output(stdout), err);
            ConsoleCancelEventHandler onCancel = (sender, e) =>
            {
                e.Cancel = true;
                command._stopRequested = true;
            };
            Console.CancelKeyPress += onCancel;
            // mosquitto_sub treats SIGTERM like Ctrl+C: disconnect cleanly (so no will), exit 0.
            using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
            {
                ctx.Cancel = true;
                command._stopRequested = true;
            });
            try
            {
                return command.Subscribe();
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
        }

        private int Subscribe()
        {
            ConnectOptions co = _o.ToConnectOptions();
            ConnectView view = new ConnectView();
            byte[] source = co.Build(view);
            // Messages are handed out straight from the receive buffer, so it bounds the largest one we take.
            var engine = new MqttClient(8 * 1024 * 1024, 64 * 1024, 4, 1, null);
            using var client = new SocketClient(engine, this, _output, _o.Debug, co.ClientId);
            long deadline = _o.TimeoutSeconds > 0 ? SocketClient.Now + _o.TimeoutSeconds * 1000L : -1;
            if (!client.Open(_o.Host, _o.Port, _err, _o.Quiet))
            {
                return 1;
            }

            while (true)
            {
                engine.Connect(view, source, SocketClient.Now);
                SocketClient.Ending end = client.Run(() => _stopRequested, null, deadline);
                switch (end)
                {
                    case SocketClient.Ending.Done:
                        engine.Disconnect();
                        client.Flush();
                        return 0;
                    case SocketClient.Ending.TimedOut:
                        engine.Disconnect();
                        client.Flush();
                        _o.Say(_err, "Timed out\n");
                        return ExitTimedOut;
                    case SocketClient.Ending.EngineClosed:
                        return ClosedExitCode(client.CloseReason);
                }

                // The connection was lost: like mosquitto_sub's loop_forever, try again once it had worked.
                if (!_everConnected)
                {
                    _o.Say(_err, "Error: The connection was lost.\n");
                    return ExitConnectionLost;
                }

                if (!Reopen(client, deadline))
                {
                    _o.Say(_err, "Timed out\n");
                    return ExitTimedOut;
                }
            }
        }

        private int ClosedExitCode(ClientError reason)
        {
            switch (reason)
            {
                case ClientError.None:
                    return 0;
                case ClientError.Refused:
                    return _refusedCode;
                case ClientError.KeepAliveTimeout:
                case ClientError.ConnackTimeout:
                    _o.Say(_err, "Error: The connection was lost.\n");
                    return ExitConnectionLost;
                default:
                    _o.Say(_err, "Error: A network protocol error occurred when communicating with the broker.\n");
                    return ExitProtocol;
            }
        }

        /// <summary>Retries the TCP connection every second until it works, Ctrl+C, or the -W deadline.</summary>
        private bool Reopen(SocketClient client, long deadline)
        {
            while (!_stopRequested)
            {
                Thread.Sleep(ReconnectDelayMs);
                if (deadline >= 0 && SocketClient.Now >= deadline)
                {
                    return false;
                }

                if (client.Open(_o.Host, _o.Port, TextWriter.Null, true))
                {
                    return true;
                }
            }

            return true;
        }

        public void Connected(MqttClient client, byte returnCode, bool sessionPresent)
        {
            if (returnCode != 0)
            {
                _refusedCode = returnCode;
                _o.Say(_err, "Connection error: " + DebugLog.ConnackText(returnCode) + "\n");
                return;
            }

            _everConnected = true;
            // Subscribed again after every connect, as mosquitto_sub does, so a lost session costs nothing.
            ushort id;
            client.Subscribe(_filters, _qos, _filters.Length, out id);
        }

        public void Subscribed(MqttClient client, ushort packetId, byte[] buffer, int codesOffset, int codesLength)
        {
            bool someAllowed = false;
            var line = new StringBuilder("Subscribed (mid: " + packetId + "): ");
            for (int i = 0; i < codesLength; i++)
            {
                byte code = buffer[codesOffset + i];
                someAllowed |= code < 0x80;
                line.Append(i == 0 ? "" : ", ").Append(code);
            }

            if (_o.Debug && !_o.Quiet)
            {
                _output.Line(line.ToString());
            }

            if (!someAllowed)
            {
                client.Disconnect();
                _o.Say(_err, "All subscription requests were denied.\n");
            }
        }

        public void MessageReceived(MqttClient client, byte[] buffer, PublishView m)
        {
            if (_o.Count > 0 && _received >= _o.Count)
            {
                return;
            }

            Print(buffer, m);
            _received++;
            if (_o.Count > 0 && _received == _o.Count)
            {
                client.Disconnect();
            }
        }

        /// <summary>mosquitto_sub's print_message: an empty payload prints nothing, or "topic (null)" with -v.</summary>
        private void Print(byte[] buffer, PublishView m)
        {
            string eol = _o.NoEol ? "" : "\n";
            if (_o.Verbose)
            {
                string topic = Utf8.Decode(buffer, m.TopicOffset, m.TopicLength);
                if (m.PayloadLength == 0)
                {
                    if (!_o.NoEol)
                    {
                        _output.Write(topic + " (null)\n");
                    }

                    return;
                }

                _output.Write(topic + " ");
            }
            else if (m.PayloadLength == 0)
            {
                return;
            }

            _output.Write(buffer, m.PayloadOffset, m.PayloadLength);
            _output.Write(eol);
        }

        public void Unsubscribed(MqttClient client, ushort packetId)
        {
        }

        public void PublishFinished(MqttClient client, ushort packetId, bool acknowledged)
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
