using System;
using System.Device.Gpio;
using System.Device.Wifi;
using System.Net;
using System.Threading;
using Device.Broker;
using Device.Net;
using nanoFramework.Networking;

namespace Samples.Gateway
{
    /// <summary>
    /// A gateway app that hosts the broker (docs/EMBEDDING.md): it reads its own sensor and publishes it locally, switches
    /// a relay on GPIO when a message arrives on gateway/relay/set, and serves the boards around it (samples/FirstSensor)
    /// over Wi-Fi. One thread runs everything: the transport's pass, then the app's own work, then the next pass.
    /// </summary>
    public class Program
    {
        // Change these for your board and network. A null SSID joins with the credentials stored on the board
        // (nanoff --networkdeployment), so no password has to live in the source.
        private const string Ssid = null;
        private const string Password = null;
        private const int Port = 1883;
        private const int RelayPin = 2;
        private const int SensorEveryMs = 10000;

        public static void Main()
        {
            // The engine with the embedding API on. The Device profile with Embedded on would be about 1,150 B over the 48 KB
            // budget, so one client less pays for it (docs/EMBEDDING.md, "What each option costs").
            BrokerOptions options = BrokerOptions.Device();
            options.Embedded = true;
            options.MaxClients = 9;
            BrokerEngine broker = new BrokerEngine(options);

            GpioController gpio = new GpioController();
            Relay relay = new Relay(gpio.OpenPin(RelayPin, PinMode.Output));
            broker.Subscribe(Topics.RelaySet, relay);

            SimulatedSensor sensor = new SimulatedSensor();
            Reading reading = new Reading();

            while (!JoinWifi())
            {
                Thread.Sleep(5000);
            }

            SocketTransport transport = new SocketTransport(
                broker, options.Connections, new ConsoleTransportLog(), new SocketTransport.Clock(Now), 0);
            transport.Start(IPAddress.Any, Port, 4);
            Console.WriteLine("gateway: serving on port " + Port.ToString() + ", relay on GPIO " + RelayPin.ToString());

            long nextRead = 0;
            while (true)
            {
                long now = transport.Now();
                bool busy = transport.RunOnce(now);

                // The app's own work, between two passes: never from inside a handler (Publish answers Busy there).
                if (now >= nextRead)
                {
                    int length = reading.Format(sensor.ReadTenthsOfDegree());
                    PublishResult r = broker.Publish(Topics.Temperature, 0, Topics.Temperature.Length, reading.Bytes, 0, length, 1, true);
                    if (r != PublishResult.Ok)
                    {
                        // NoRoom: a subscriber is too slow to take it; the next reading replaces this one anyway.
                        Console.WriteLine("gateway: reading not published (" + r.ToString() + ")");
                    }

                    nextRead = now + SensorEveryMs;
                }

                if (relay.Changed)
                {
                    relay.Changed = false;
                    byte[] state = relay.On ? Topics.On : Topics.Off;
                    broker.Publish(Topics.RelayState, 0, Topics.RelayState.Length, state, 0, state.Length, 1, true);
                }

                if (!busy)
                {
                    Thread.Sleep(1);
                }
            }
        }

        private static bool JoinWifi()
        {
            CancellationTokenSource timeout = new CancellationTokenSource(60000);
            try
            {
                return Ssid == null
                    ? WifiNetworkHelper.Reconnect(false, 0, timeout.Token)
                    : WifiNetworkHelper.ConnectDhcp(Ssid, Password, WifiReconnectionKind.Automatic, false, 0, timeout.Token);
            }
            finally
            {
                timeout.Dispose();
            }
        }

        // Environment.TickCount64 (nanoFramework.Runtime.Native), not DateTime.UtcNow: the wall clock jumps at the first SNTP sync.
        private static long Now()
        {
            return Environment.TickCount64;
        }
    }
}
