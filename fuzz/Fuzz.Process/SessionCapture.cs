using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using System;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Fuzz.Process
{
    /// <summary>
    /// Records the seed sessions: real clients (Debian's mosquitto_pub/mosquitto_sub, MQTTnet, our host/Mqtt.Tools)
    /// talk to the host broker through a <see cref="RecordingRelay"/> each, covering CONNECT through DISCONNECT,
    /// every packet type a client sends, MQTT 3.1 and 3.1.1, QoS 0/1/2, retain, will, user names, keep-alive pings
    /// and unsubscribe. Run once with `dotnet run --project fuzz/Fuzz.Process -- capture fuzz/Fuzz.Process/seeds`;
    /// the files are checked in so the fuzz run needs none of these clients.
    /// </summary>
    public static class SessionCapture
    {
        public const string User = "fuzz";
        public const string Password = "fuzz-pw";

        public static int Run(string outDir)
        {
            Directory.CreateDirectory(outDir);
            using BrokerProcess broker = new BrokerProcess();
            int port = broker.Port;
            int written = 0;

            void Save(string name, string source, RecordingRelay relay)
            {
                byte[][] packets = SeedSession.Split(relay.Recorded(TimeSpan.FromSeconds(10)));
                if (packets.Length == 0)
                {
                    Console.Error.WriteLine(name + ": nothing recorded");
                    return;
                }
                new SeedSession(name, packets).Save(Path.Combine(outDir, name + ".txt"), source);
                Console.WriteLine(name + ": " + packets.Length + " packets");
                written++;
            }

            void Tool(string name, string program, params string[] args)
            {
                using RecordingRelay relay = new RecordingRelay(port);
                string[] all = new string[args.Length + 4];
                all[0] = "-h";
                all[1] = "127.0.0.1";
                all[2] = "-p";
                all[3] = relay.Port.ToString();
                args.CopyTo(all, 4);
                RunProcess(program, all, TimeSpan.FromSeconds(15));
                Save(name, program + " " + string.Join(" ", args), relay);
            }

            // A retained message first, so the subscribers below have something to receive and acknowledge.
            Tool("mosquitto_pub-v311-q1-retain", "mosquitto_pub", "-i", "seed-retain", "-t", "fuzz/r", "-m", "retained", "-q", "1", "-r");
            Tool("mosquitto_pub-v311-q0", "mosquitto_pub", "-t", "fuzz/a", "-m", "hello", "-q", "0");
            Tool("mosquitto_pub-v31-q2", "mosquitto_pub", "-V", "mqttv31", "-i", "seed-v31", "-t", "fuzz/b", "-m", "x", "-q", "2");
            Tool("mosquitto_pub-v311-will-user-q2", "mosquitto_pub", "-u", User, "-P", Password, "-i", "seed-will", "--will-topic", "fuzz/will",
                "--will-payload", "gone", "--will-qos", "1", "--will-retain", "-t", "fuzz/c", "-m", "y", "-q", "2");
            Tool("mosquitto_sub-v31-q1-retained", "mosquitto_sub", "-V", "mqttv31", "-i", "seed-sub31", "-t", "fuzz/r", "-q", "1", "-C", "1");
            Tool("mosquitto_sub-keepalive-pings", "mosquitto_sub", "-t", "fuzz/quiet", "-k", "5", "-W", "8");
            Tool("mosquitto_sub-persistent-q2", "mosquitto_sub", "-c", "-i", "seed-persist", "-u", User, "-P", Password, "-t", "fuzz/r", "-t", "fuzz/+/x",
                "-q", "2", "-C", "1");

            // A QoS 2 subscriber that receives a QoS 2 message: PUBREC and PUBCOMP from the client side.
            {
                using RecordingRelay relay = new RecordingRelay(port);
                Task<int> sub = Task.Run(() => RunProcess("mosquitto_sub", new[] { "-h", "127.0.0.1", "-p", relay.Port.ToString(), "-i", "seed-sub2",
                    "-t", "fuzz/q2", "-q", "2", "-C", "1" }, TimeSpan.FromSeconds(15)));
                Thread.Sleep(1000);
                RunProcess("mosquitto_pub", new[] { "-h", "127.0.0.1", "-p", port.ToString(), "-t", "fuzz/q2", "-m", "exactly once", "-q", "2" },
                    TimeSpan.FromSeconds(15));
                sub.Wait();
                Save("mosquitto_sub-v311-q2-receives", "mosquitto_sub -t fuzz/q2 -q 2 -C 1 (a QoS 2 message arrives)", relay);
            }

            string tools = Path.Combine(AppContext.BaseDirectory, "Mqtt.Tools.dll");
            {
                using RecordingRelay relay = new RecordingRelay(port);
                RunProcess(BrokerProcess.DotnetHost(), new[] { tools, "pub", "-h", "127.0.0.1", "-p", relay.Port.ToString(), "-t", "fuzz/tools",
                    "-m", "from our tool", "-q", "2", "-r" }, TimeSpan.FromSeconds(30));
                Save("mqtt-tools-pub-q2-retain", "host/Mqtt.Tools pub -t fuzz/tools -m 'from our tool' -q 2 -r", relay);
            }
            {
                using RecordingRelay relay = new RecordingRelay(port);
                RunProcess(BrokerProcess.DotnetHost(), new[] { tools, "sub", "-h", "127.0.0.1", "-p", relay.Port.ToString(), "-t", "fuzz/tools",
                    "-q", "1", "-C", "1", "-u", User, "-P", Password }, TimeSpan.FromSeconds(30));
                Save("mqtt-tools-sub-q1-user", "host/Mqtt.Tools sub -t fuzz/tools -q 1 -C 1 -u fuzz", relay);
            }

            foreach (MqttProtocolVersion version in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V310 })
            {
                using RecordingRelay relay = new RecordingRelay(port);
                MqttNetSession(relay.Port, version).GetAwaiter().GetResult();
                Save("mqttnet-" + (version == MqttProtocolVersion.V311 ? "v311" : "v310") + "-full",
                    "MQTTnet 5 (" + version + "): connect with user, subscribe x2, publish QoS 0/1/2 retained and not, ping, unsubscribe, disconnect", relay);
            }

            Console.WriteLine(written + " sessions written to " + outDir + (broker.Findings.Length > 0 ? "; broker findings: " + broker.Findings.Length : ""));
            return written > 0 ? 0 : 1;
        }

        private static async Task MqttNetSession(int port, MqttProtocolVersion version)
        {
            using CancellationTokenSource time = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            using IMqttClient client = new MqttClientFactory().CreateMqttClient();
            int received = 0;
            client.ApplicationMessageReceivedAsync += e =>
            {
                Interlocked.Increment(ref received);
                return Task.CompletedTask;
            };
            MqttClientOptions options = new MqttClientOptionsBuilder()
                .WithTcpServer("127.0.0.1", port)
                .WithClientId("seed-mqttnet-" + (int)version)
                .WithProtocolVersion(version)
                .WithCredentials(User, Password)
                .WithCleanSession(true)
                .WithWillTopic("fuzz/mqttnet/will").WithWillPayload("bye").WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce)
                .Build();
            await client.ConnectAsync(options, time.Token);
            await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter("fuzz/mqttnet/#", MqttQualityOfServiceLevel.ExactlyOnce)
                .WithTopicFilter("fuzz/+/r", MqttQualityOfServiceLevel.AtLeastOnce).Build(), time.Token);
            await client.PublishStringAsync("fuzz/mqttnet/q0", "zero", MqttQualityOfServiceLevel.AtMostOnce, false, time.Token);
            await client.PublishStringAsync("fuzz/mqttnet/q1", "one", MqttQualityOfServiceLevel.AtLeastOnce, true, time.Token);
            await client.PublishStringAsync("fuzz/mqttnet/q2", "two", MqttQualityOfServiceLevel.ExactlyOnce, false, time.Token);
            await client.PingAsync(time.Token);
            DateTime end = DateTime.UtcNow.AddSeconds(5);
            while (Volatile.Read(ref received) < 3 && DateTime.UtcNow < end)
            {
                await Task.Delay(20);
            }
            await client.UnsubscribeAsync(new MqttClientUnsubscribeOptionsBuilder().WithTopicFilter("fuzz/mqttnet/#").Build(), time.Token);
            await client.DisconnectAsync(new MqttClientDisconnectOptions(), time.Token);
        }

        private static int RunProcess(string program, IEnumerable<string> args, TimeSpan timeout)
        {
            ProcessStartInfo start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in args)
            {
                start.ArgumentList.Add(a);
            }
            using System.Diagnostics.Process p = System.Diagnostics.Process.Start(start);
            p.StandardOutput.ReadToEndAsync();
            p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit((int)timeout.TotalMilliseconds))
            {
                p.Kill(entireProcessTree: true);
                return -1;
            }
            return p.ExitCode;
        }
    }
}
