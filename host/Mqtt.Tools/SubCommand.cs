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

        private readonly Options o;
        private readonly Output output;
        private readonly TextWriter err;
        private readonly byte[][] filters;
        private readonly byte[] qos;
        private int received;
        private int refusedCode;
        private bool everConnected;
        private volatile bool stopRequested;

        private SubCommand(Options o, Output output, TextWriter err)
        {
            this.o = o;
            this.output = output;
            this.err = err;
            filters = new byte[o.Topics.Count][];
            qos = new byte[o.Topics.Count];
            for (int i = 0; i < filters.Length; i++)
            {
                filters[i] = Encoding.UTF8.GetBytes(o.Topics[i]);
                qos[i] = (byte)o.Qos;
            }
        }

        public static int Run(string[] args, Stream stdout, TextWriter err)
        {
            Options o;
            Options.Outcome parsed = Options.Parse(args, false, err, out o);
            if (parsed == Options.Outcome.Help)
            {
                new Output(stdout).Write(Usage.Sub);
                return 1;
            }

            if (parsed == Options.Outcome.Error || !o.CheckClientSetup(err))
            {
                return 1;
            }

            var command = new SubCommand(o, new Output(stdout), err);
            ConsoleCancelEventHandler onCancel = (sender, e) =>
            {
                e.Cancel = true;
                command.stopRequested = true;
            };
            Console.CancelKeyPress += onCancel;
            // mosquitto_sub treats SIGTERM like Ctrl+C: disconnect cleanly (so no will), exit 0.
            using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
            {
                ctx.Cancel = true;
                command.stopRequested = true;
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
            ConnectOptions co = o.ToConnectOptions();
            ConnectView view = new ConnectView();
            byte[] source = co.Build(view);
            // Messages are handed out straight from the receive buffer, so it bounds the largest one we take.
            var engine = new MqttClient(8 * 1024 * 1024, 64 * 1024, 4, 1, null);
            using var client = new SocketClient(engine, this, output, o.Debug, co.ClientId);
            long deadline = o.TimeoutSeconds > 0 ? SocketClient.Now + o.TimeoutSeconds * 1000L : -1;
            if (!client.Open(o.Host, o.Port, err, o.Quiet))
            {
                return 1;
            }

            while (true)
            {
                engine.Connect(view, source, SocketClient.Now);
                SocketClient.Outcome end = client.Run(() => stopRequested, null, deadline);
                switch (end)
                {
                    case SocketClient.Outcome.Done:
                        engine.Disconnect();
                        client.Flush();
                        return 0;
                    case SocketClient.Outcome.TimedOut:
                        engine.Disconnect();
                        client.Flush();
                        o.Say(err, "Timed out\n");
                        return ExitTimedOut;
                    case SocketClient.Outcome.EngineClosed:
                        return ClosedExitCode(client.CloseReason);
                }

                // The connection was lost: like mosquitto_sub's loop_forever, try again once it had worked.
                if (!everConnected)
                {
                    o.Say(err, "Error: The connection was lost.\n");
                    return ExitConnectionLost;
                }

                if (!Reopen(client, deadline))
                {
                    o.Say(err, "Timed out\n");
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
                    return refusedCode;
                case ClientError.KeepAliveTimeout:
                case ClientError.ConnackTimeout:
                    o.Say(err, "Error: The connection was lost.\n");
                    return ExitConnectionLost;
                default:
                    o.Say(err, "Error: A network protocol error occurred when communicating with the broker.\n");
                    return ExitProtocol;
            }
        }

        /// <summary>Retries the TCP connection every second until it works, Ctrl+C, or the -W deadline.</summary>
        private bool Reopen(SocketClient client, long deadline)
        {
            while (!stopRequested)
            {
                Thread.Sleep(ReconnectDelayMs);
                if (deadline >= 0 && SocketClient.Now >= deadline)
                {
                    return false;
                }

                if (client.Open(o.Host, o.Port, TextWriter.Null, true))
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
                refusedCode = returnCode;
                o.Say(err, "Connection error: " + DebugLog.ConnackText(returnCode) + "\n");
                return;
            }

            everConnected = true;
            // Subscribed again after every connect, as mosquitto_sub does, so a lost session costs nothing.
            ushort id;
            client.Subscribe(filters, qos, filters.Length, out id);
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

            if (o.Debug && !o.Quiet)
            {
                output.Line(line.ToString());
            }

            if (!someAllowed)
            {
                client.Disconnect();
                o.Say(err, "All subscription requests were denied.\n");
            }
        }

        public void MessageReceived(MqttClient client, byte[] buffer, PublishView m)
        {
            if (o.Count > 0 && received >= o.Count)
            {
                return;
            }

            Print(buffer, m);
            received++;
            if (o.Count > 0 && received == o.Count)
            {
                client.Disconnect();
            }
        }

        /// <summary>mosquitto_sub's print_message: an empty payload prints nothing, or "topic (null)" with -v.</summary>
        private void Print(byte[] buffer, PublishView m)
        {
            string eol = o.NoEol ? "" : "\n";
            if (o.Verbose)
            {
                string topic = Utf8.Decode(buffer, m.TopicOffset, m.TopicLength);
                if (m.PayloadLength == 0)
                {
                    if (!o.NoEol)
                    {
                        output.Write(topic + " (null)\n");
                    }

                    return;
                }

                output.Write(topic + " ");
            }
            else if (m.PayloadLength == 0)
            {
                return;
            }

            output.Write(buffer, m.PayloadOffset, m.PayloadLength);
            output.Write(eol);
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
