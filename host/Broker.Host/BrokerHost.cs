using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Net;
using System.Threading;
using System;
using Device.Broker;
using Device.Net;

namespace Broker.Host
{
    /// <summary>
    /// Builds the engine from the settings (the Host profile plus the config file's limits), loads users and
    /// ACL into it, and runs it behind the same poll-loop transport as the board, on every listener, until asked to
    /// stop. SIGHUP (or <see cref="ReloadRequests.Raise"/>) reloads the password and ACL files while clients stay connected.
    /// </summary>
    public static class BrokerHost
    {
        // Connections the kernel completes before the loop accepts them. A burst beyond it has its SYNs dropped and each
        // such client waits a second for its retransmission (issue 10: 10,000 clients connecting one after another; a
        // loaded machine delays the loop by more than 128 connects). Linux caps it at net.core.somaxconn (4,096 by
        // default); Mosquitto's is 100.
        private const int Backlog = 1024;

        public static int Run(BrokerSettings settings, HostFiles files, MosquittoLog log, CancellationToken stop, Action<int> started)
        {
            return Run(settings, new List<HostFiles> { files }, log, stop, started, null);
        }

        public static int Run(BrokerSettings settings, List<HostFiles> files, MosquittoLog log, CancellationToken stop, Action<int> started, ReloadRequests reloads)
        {
            BrokerOptions options = OptionsFor(settings);
            // Each bridge's local side is a connection of its own (AcceptInternal).
            options.MaxClients += settings.Bridges.Count;
            string problem = Refusal(settings, options);
            if (problem != null)
            {
                log.Error(problem);
                log.Error("Broker not started: fix the line above.");
                return 1;
            }

            foreach (BridgeOptions b in settings.Bridges)
            {
                string wrong = b.Check();
                if (wrong != null)
                {
                    log.Error(wrong);
                    log.Error("Broker not started: fix the connection block above.");
                    return 1;
                }
            }

            // TLS files are read at start-up, so a missing CA is refused now rather than at every attempt.
            List<IBridgeConnector> connectors = new List<IBridgeConnector>();
            foreach (BridgeOptions b in settings.Bridges)
            {
                IBridgeConnector c = new HostConnector();
                if (b.UsesTls)
                {
                    c = TlsConnector.Create(b, out string wrong);
                    if (c == null)
                    {
                        log.Error(wrong);
                        log.Error("Broker not started: fix the connection block above.");
                        return 1;
                    }
                }

                connectors.Add(c);
            }

            BrokerEngine broker;
            try
            {
                broker = new BrokerEngine(options);
            }
            catch (OutOfMemoryException)
            {
                log.Error("not enough memory for these limits (" + (Budget.For(options).Total.HostBytes >> 20) + " MB)");
                return 1;
            }

            List<ListenerSettings> listeners = settings.EffectiveListeners;
            List<bool> anonymous = new List<bool>();
            foreach (SecuritySettings d in HostFiles.Domains(settings))
            {
                anonymous.Add(d.AllowAnonymous ?? !settings.HasListener);
            }

            SecurityReload reload = new SecurityReload(broker, log, HostFiles.Domains(settings));
            if (!reload.Install(files, anonymous))
            {
                return 1;
            }

            // Restored before the listener opens: no client sees the broker without its saved state.
            JournalStore store = JournalStore.Start(broker, settings.Store, log);

            Budget budget = Budget.For(options);
            log.Notice("Device broker (MQTT 3.1/3.1.1) starting: " + (settings.DeviceProfile ? "device profile (the board's limits, "
                + budget.Total.DeviceBytes + " bytes on the board), " : "") + options.MaxClients + " clients, "
                + (budget.Total.HostBytes >> 10) + " KB preallocated, message pool " + (options.PoolBytes >> 10) + " KB.");
            foreach (string note in settings.Notes)
            {
                log.Notice("Config: " + note);
            }

            EngineLog engine = new EngineLog(broker, log) { Reload = reload, Young = new YoungGeneration(YoungGeneration.DefaultBytes) };
            SocketTransport transport = new SocketTransport(engine, broker.Options.Connections, engine, () => Environment.TickCount64, Platform());
            engine.Transport = transport;
            BridgeLog bridgeLog = new BridgeLog(log);
            for (int i = 0; i < settings.Bridges.Count; i++)
            {
                Bridge bridge = new Bridge(settings.Bridges[i], broker) { Log = bridgeLog };
                bridge.Start(Environment.TickCount64);
                transport.AddBridge(new BridgeLink(bridge, connectors[i]));
            }

            foreach (ListenerSettings l in listeners)
            {
                try
                {
                    // With one listener its max_connections is the engine's MaxClients (answered with CONNACK 3, as before);
                    // with several, each listener also closes connections beyond its own, as Mosquitto does.
                    int own = listeners.Count > 1 ? l.MaxConnections ?? 0 : 0;
                    int index = transport.Start(IPAddress.Parse(l.Bind), l.Port, Backlog, own);
                    log.Notice("Opening ipv4 listen socket on " + l.Bind + " port " + transport.PortOf(index) + ".");
                }
                catch (SocketException e)
                {
                    log.Error("cannot listen on " + l.Bind + ":" + l.Port + ": " + e.Message);
                    transport.Stop();
                    transport.Run();
                    return 1;
                }
            }

            if (!WritePidFile(settings, log))
            {
                transport.Stop();
                transport.Run();
                return 1;
            }

            // Known only now when the port was 0.
            engine.Port = transport.Port;
            if (reloads != null)
            {
                reloads.Handler = reload.Request;
            }

            using (stop.Register(transport.Stop))
            {
                started?.Invoke(transport.Port);
                transport.Run();
            }

            store?.Close(Environment.TickCount64);
            if (reloads != null)
            {
                reloads.Handler = null;
            }

            if (settings.PidFile != null)
            {
                TryDelete(settings.PidFile);
            }

            log.Notice("Device broker terminating.");
            return 0;
        }

        /// <summary>Mosquitto's pid_file: written once listening; a file that cannot be written stops the start, as there.</summary>
        private static bool WritePidFile(BrokerSettings settings, MosquittoLog log)
        {
            if (settings.PidFile == null)
            {
                return true;
            }

            try
            {
                File.WriteAllText(settings.PidFile, Environment.ProcessId + "\n");
                return true;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                log.Error("Unable to write pid file " + settings.PidFile + ": " + e.Message);
                return false;
            }
        }

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
            }
        }

        /// <summary>epoll on Linux (readiness scales with the sockets that are ready, not with those open), Select elsewhere.</summary>
        public static ISocketPlatform Platform()
        {
            return Epoll.Supported ? new EpollPlatform() : new SelectPlatform();
        }

        /// <summary>Which config option sets each engine limit, for reporting a limit the engine cannot honour at its line.</summary>
        private static readonly Dictionary<string, string> OptionOf = new Dictionary<string, string>
        {
            { "MaxClients", "max_connections" },
            { "SpareConnections", "max_connections" },
            { "MaxPersistentSessions", "max_connections" },
            { "InflightPerSession", "max_inflight_messages" },
            { "MaxQueuedMessages", "max_queued_messages" },
            { "MaxQueuedBytes", "max_queued_bytes" },
            { "PoolBytes", "memory_limit" },
            { "StallTimeoutMs", "stall_timeout" },
            { "MaxPacketSize", "message_size_limit" },
            { "TxBufferSize", "message_size_limit" },
            { "MaxPayloadSize", "message_size_limit" },
            { "KeepAliveMaxSeconds", "max_keepalive" },
            { "AutoIdPrefix", "auto_id_prefix" },
            { "PersistentSessionExpirySeconds", "persistent_client_expiration" },
        };

        /// <summary>
        /// Null when the engine can be built with these options and the memory they preallocate; otherwise why not,
        /// as "file:line: option: reason" when a config line is at fault, so the user knows what to change.
        /// </summary>
        public static string Refusal(BrokerSettings settings, BrokerOptions options)
        {
            string problem = options.Check(out string field);
            if (problem != null)
            {
                return At(settings, field != null && OptionOf.TryGetValue(field, out string option) ? option : null,
                    "cannot be honoured: " + problem);
            }

            // The engine allocates everything at start-up; more than the machine has would fail at once or, worse,
            // later when the pages are first touched.
            long bytes = Budget.For(options).Total.HostBytes;
            long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
            if (bytes > available / 4 * 3)
            {
                string lines = "";
                foreach (KeyValuePair<string, string> e in settings.OptionLines)
                {
                    if (e.Key.StartsWith("max_", StringComparison.Ordinal) || e.Key == "message_size_limit" || e.Key == "memory_limit")
                    {
                        lines += (lines.Length > 0 ? ", " : "") + e.Key + " (" + e.Value + ")";
                    }
                }

                return (settings.ConfigPath ?? "the Host profile") + ": these limits preallocate " + (bytes >> 20) + " MB, more than 3/4 of the "
                    + (available >> 20) + " MB this machine offers" + (lines.Length > 0 ? "; lower " + lines : "");
            }

            return null;
        }

        private static string At(BrokerSettings settings, string option, string reason)
        {
            if (option != null && settings.OptionLines.TryGetValue(option, out string at))
            {
                return at + ": " + option + " " + reason;
            }

            return "the limits do not work together: " + reason;
        }

        /// <summary>The engine's options: the Host (or, with --profile device, the board's) profile, then each limit the config file set.</summary>
        public static BrokerOptions OptionsFor(BrokerSettings s)
        {
            BrokerOptions o = s.DeviceProfile ? BrokerOptions.Device() : BrokerOptions.Host();
            List<ListenerSettings> listeners = s.EffectiveListeners;
            List<SecuritySettings> domains = HostFiles.Domains(s);
            o.Listeners = domains.Count;
            o.AllowAnonymous = s.AllowAnonymousOf(listeners[0]);

            // Mosquitto's max_connections is per listener; the engine's slots are for all of them together.
            long clients = 0;
            foreach (ListenerSettings l in listeners)
            {
                clients = l.MaxConnections.HasValue && clients >= 0 ? clients + l.MaxConnections.Value : -1;
            }

            if (clients > 0)
            {
                o.MaxClients = (int)Math.Min(clients, 30000);
            }

            // Options the engine has once for all listeners: the first domain's (the config reader refuses differing ones).
            SecuritySettings first = domains[0];
            if (first.AllowZeroLengthClientId.HasValue)
            {
                o.AllowZeroLengthClientId = first.AllowZeroLengthClientId.Value;
            }

            if (first.AutoIdPrefix != null)
            {
                o.AutoIdPrefix = first.AutoIdPrefix;
            }

            if (s.MaxInflightMessages.HasValue)
            {
                o.InflightPerSession = s.MaxInflightMessages.Value;
            }

            if (s.MaxQueuedMessages.HasValue)
            {
                o.MaxQueuedMessages = s.MaxQueuedMessages.Value;
            }

            if (s.MaxQueuedBytes.HasValue)
            {
                o.MaxQueuedBytes = s.MaxQueuedBytes.Value;
            }

            if (s.QueueQos0Messages.HasValue)
            {
                o.QueueQos0Messages = s.QueueQos0Messages.Value;
            }

            if (s.MemoryLimit.HasValue)
            {
                o.PoolBytes = s.MemoryLimit.Value;
                if (o.GrowBuffers)
                {
                    // memory_limit also bounds the connection buffers (a large message is in the pool and in two buffers).
                    o.BufferBytes = Math.Max(s.MemoryLimit.Value, 65536);
                }
            }

            if (s.StallTimeoutSeconds.HasValue)
            {
                o.StallTimeoutMs = s.StallTimeoutSeconds.Value * 1000;
            }

            if (s.MaxPacketSize.HasValue)
            {
                o.MaxPacketSize = s.MaxPacketSize.Value;
                if (!o.GrowBuffers)
                {
                    // Fixed buffers (--profile device) must take one packet whole; grown ones grow for it.
                    o.TxBufferSize = Math.Max(o.MaxPacketSize, 1024);
                }
            }

            if (s.MessageSizeLimit.HasValue && s.MessageSizeLimit.Value > 0)
            {
                // Mosquitto limits the payload (message_size_limit); the packet buffers must still hold such a
                // PUBLISH whole: the fixed header, the longest topic and a packet id besides the payload.
                o.MaxPayloadSize = s.MessageSizeLimit.Value;
                if (!s.MaxPacketSize.HasValue)
                {
                    o.MaxPacketSize = (int)Math.Min(Math.Max((long)o.MaxPacketSize, (long)s.MessageSizeLimit.Value + 5 + 2 + o.MaxTopicLength + 2), BrokerOptions.MqttMaxPacket);
                }

                if (!o.GrowBuffers)
                {
                    o.TxBufferSize = Math.Max(o.TxBufferSize, o.MaxPacketSize);
                }
            }

            if (s.MaxKeepalive.HasValue)
            {
                o.KeepAliveMaxSeconds = s.MaxKeepalive.Value;
            }

            if (s.MaxQos.HasValue)
            {
                o.MaxQos = s.MaxQos.Value;
            }

            if (s.RetainAvailable.HasValue)
            {
                o.RetainAvailable = s.RetainAvailable.Value;
            }

            if (s.UpgradeOutgoingQos.HasValue)
            {
                o.UpgradeOutgoingQos = s.UpgradeOutgoingQos.Value;
            }

            if (s.PersistentClientExpiration.HasValue)
            {
                o.PersistentSessionExpirySeconds = s.PersistentClientExpiration.Value;
            }

            return o;
        }
    }
}
