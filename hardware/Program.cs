using System.Threading;
using System;
using Device.Broker;
using Device.Net;

namespace Device.Hardware
{
    /// <summary>
    /// The ESP32 program: settings, the engine with the Device profile, Wi-Fi, then the broker loop for good.
    /// flash.md tells how to put it on a board.
    /// </summary>
    public class Program
    {
        public static void Main()
        {
            try
            {
                Log.Line("broker: starting");
                Settings settings = Settings.Load();
                Log.Line("broker: settings from " + settings.Source + ", port " + settings.Port.ToString());
                Log.Level = settings.Logging.Level;

                // The engine takes its ~50 KB in one go, first: the heap is still empty and unfragmented, and
                // whatever reading the settings left behind is collected before.
                nanoFramework.Runtime.Native.GC.Run(true);
                BrokerOptions options = BrokerOptions.Device();
                if (settings.Bridge != null)
                {
                    // The bridge's two client engines and buffers are paid for with the packet limit (docs/ARCHITECTURE.md).
                    Settings.WithBridge(options);
                    options.MaxClients = Settings.ClientsWithBridge;
                }

                if (settings.MaxClients > 0)
                {
                    options.MaxClients = settings.MaxClients;
                }

                SecurityFiles.Configure(settings, options);
                Log.Line("broker: up to " + options.MaxClients.ToString() + " clients" + (settings.Bridge != null
                    ? " and a bridge, packets up to " + options.MaxPacketSize.ToString() + " bytes" : ""));
                int clients = options.MaxClients;
                if (settings.Bridge != null)
                {
                    // The bridge's local side is a connection of the engine's own (AcceptInternal), beside the clients.
                    options.MaxClients++;
                }

                Device.Broker.BrokerEngine broker = new Device.Broker.BrokerEngine(options);
                if (settings.Logging.Topic)
                {
                    // Publish needs no Embedded state (only local subscriptions do): the buffer is the whole cost.
                    Log.Topic = new LogTopic(broker, settings.Logging.TopicBytes);
                    Log.Line("broker: log lines on " + LogTopic.Prefix + "# (" + settings.Logging.TopicBytes.ToString() + " B buffer)");
                }

                // Users and ACL go in before the first Accept: no client is ever served without them.
                SecurityFiles.Load(settings, options, broker);
                // Retained messages and persistent sessions come back before the listener opens (issue 13).
                Restore(settings, options, broker);

                // Engine time is Environment.TickCount64: DateTime.UtcNow jumps at the first SNTP sync, which would
                // fire (or hold back) every keep-alive and retry deadline at once.
                SocketTransport transport = new SocketTransport(
                    broker, options.Connections, new TransportLog(), new SocketTransport.Clock(MonotonicClock.Now), 0);

                WifiConnection wifi = new WifiConnection(settings);
                while (!wifi.Connect())
                {
                    // Nothing to serve without a network; the radio may need a while after power-up.
                    Thread.Sleep(5000);
                }

                if (settings.Logging.SyslogHost != null)
                {
                    // After Wi-Fi: a datagram sent before the link is up is lost anyway. It takes one of lwIP's 16 sockets.
                    Log.Syslog = new SyslogTarget(System.Net.IPAddress.Parse(settings.Logging.SyslogHost), settings.Logging.SyslogPort, "esp32-broker");
                    Log.Line("broker: log lines to syslog at " + settings.Logging.SyslogHost + ":" + settings.Logging.SyslogPort.ToString());
                }

                BoardBridge.Start(settings, broker, transport);
                StatusReport status = new StatusReport(broker, settings.Port, settings.StatusSeconds, transport.Now());
                new BrokerLoop(transport, wifi, status, settings.Port, clients, null).Run();
            }
            catch (Exception ex)
            {
                // Only start-up gets here (BrokerLoop.Run never returns): options the engine refuses, or no memory
                // for it. Rebooting would fail the same way forever, so stay up and reachable for a new deploy.
                Log.Error("broker: cannot start", ex);
                Thread.Sleep(Timeout.Infinite);
            }
        }

        /// <summary>Opens the board store on I:\ into the engine (restoring its newest whole image) when it is on.</summary>
        private static void Restore(Settings settings, BrokerOptions options, Device.Broker.BrokerEngine broker)
        {
            if (settings.PersistenceSeconds == 0)
            {
                Log.Line("persistence: off (persistenceSeconds 0)");
                return;
            }

            FlashFileMedium medium = new FlashFileMedium(Settings.Drive);
            FlashStore store = new FlashStore(medium, options, settings.PersistenceSeconds * 1000);
            store.Open(broker, MonotonicClock.Now());
            Log.Line("persistence: " + (store.Current < 0 ? "no saved image on " + Settings.Drive : "image " + store.Sequence.ToString() + " restored")
                + ", " + broker.Retained.Count.ToString() + " retained, " + store.Dropped.ToString() + " records dropped"
                + (store.DamageOffset >= 0 ? ", the other image damaged at offset " + store.DamageOffset.ToString() : "")
                + (medium.Failures > 0 ? ", " + medium.Failures.ToString() + " file errors" : "")
                + "; one image at most every " + settings.PersistenceSeconds.ToString() + " s");
        }
    }
}
