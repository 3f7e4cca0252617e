using System;
using System.Device.Wifi;
using System.Threading;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Messages;
using nanoFramework.Networking;

namespace Samples.FirstSensor
{
    /// <summary>
    /// A second board with a sensor and nanoFramework's own MQTT client (nanoFramework.M2Mqtt), publishing to the
    /// gateway (samples/Gateway) every ten seconds at QoS 1. Any MQTT client does the same: on a PC,
    /// mosquitto_pub -h GATEWAY -t sensors/first/temperature -q 1 -m 21.5.
    /// </summary>
    public class Program
    {
        // The gateway's address on your network (its start-up line prints it), and the Wi-Fi to join (null: the
        // credentials stored on the board).
        private const string Gateway = "192.168.1.50";
        private const string Ssid = null;
        private const string Password = null;
        private const string ClientId = "first-sensor";
        private const string Topic = "sensors/first/temperature";

        public static void Main()
        {
            while (!JoinWifi())
            {
                Thread.Sleep(5000);
            }

            SimulatedSensor sensor = new SimulatedSensor();
            MqttClient client = null;
            while (true)
            {
                try
                {
                    if (client == null || !client.IsConnected)
                    {
                        client = Connect(client);
                    }

                    if (client != null)
                    {
                        // M2Mqtt takes a byte[] per message and queues it for its own sending thread; at one reading every ten
                        // seconds that is cheap, and the gateway acknowledges each one (PUBACK) before it counts as delivered.
                        client.Publish(Topic, sensor.ReadAscii(), null, null, MqttQoSLevel.AtLeastOnce, false);
                    }
                }
                catch (Exception ex)
                {
                    // The gateway restarted or the Wi-Fi dropped: connect again on the next round.
                    Console.WriteLine("sensor: " + ex.Message);
                    client = null;
                }

                Thread.Sleep(10000);
            }
        }

        private static MqttClient Connect(MqttClient old)
        {
            if (old != null)
            {
                old.Close();
            }

            MqttClient client = new MqttClient(Gateway);
            MqttReasonCode code = client.Connect(ClientId);
            if (code != MqttReasonCode.Success)
            {
                // A gateway with a password file or ACL answers BadUserNameOrPassword / NotAuthorized here.
                Console.WriteLine("sensor: gateway refused the connection (" + code.ToString() + ")");
                client.Close();
                return null;
            }

            Console.WriteLine("sensor: connected to " + Gateway);
            return client;
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
    }
}
