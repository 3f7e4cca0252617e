using System.Net;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using System.Threading;
using System;
using MQTTnet.Server;

namespace MqttNetServer
{
    /// <summary>
    /// MQTTnet 5 broker with its defaults except what the benchmark needs: loopback only, a given port, and a
    /// pending-message queue deep enough that a benchmark burst is measured rather than silently dropped
    /// (MQTTnet's default of 250 per client drops the oldest message; Mosquitto's and ours are raised alike).
    /// Prints "ready" once listening and stops on SIGTERM (and, through the harness's startup hook, when the
    /// harness's end closes our stdin).
    /// </summary>
    public static class Program
    {
        public static async Task<int> Main(string[] args)
        {
            int port = 1883;
            for (int i = 0; i < args.Length; i++)
            {
                if ((args[i] == "-p" || args[i] == "--port") && i + 1 < args.Length)
                {
                    port = int.Parse(args[++i]);
                }
            }

            var factory = new MqttServerFactory();
            MqttServerOptions options = factory.CreateServerOptionsBuilder()
                .WithDefaultEndpoint()
                .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
                .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
                .WithDefaultEndpointPort(port)
                .WithMaxPendingMessagesPerClient(1_000_000)
                .Build();

            using MqttServer server = factory.CreateMqttServer(options);
            await server.StartAsync();
            Console.WriteLine("ready " + port);

            var stop = new TaskCompletionSource();
            using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
            {
                c.Cancel = true;
                stop.TrySetResult();
            });
            await stop.Task;
            await server.StopAsync();
            return 0;
        }
    }
}
