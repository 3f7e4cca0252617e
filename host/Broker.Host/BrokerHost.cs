using System.Collections.Generic;
using System.Net.Sockets;
using System.Net;
using System.Text;
using System.Threading;
using System;
using Device.Broker;
using Device.Net;

namespace Broker.Host
{
    /// <summary>
    /// Builds the engine from the settings (the Host profile plus the config file's limits), loads users and
    /// ACL into it, and runs it behind the same poll-loop transport as the board until asked to stop.
    /// </summary>
    public static class BrokerHost
    {
        private const int Backlog = 128;

        public static int Run(BrokerSettings settings, HostFiles files, MosquittoLog log, CancellationToken stop, Action<int> started)
        {
            BrokerOptions options = OptionsFor(settings);
            string problem = Refusal(settings, options);
            if (problem != null)
            {
                log.Error(problem);
                log.Error("Broker not started: fix the line above.");
                return 1;
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

            if (!LoadSecurity(broker, settings, files, log))
            {
                return 1;
            }

            Budget budget = Budget.For(options);
            log.Info("Device broker (MQTT 3.1/3.1.1) starting: " + (settings.DeviceProfile ? "device profile (the board's limits, "
                + budget.Total.DeviceBytes + " bytes on the board), " : "") + options.MaxClients + " clients, "
                + (budget.Total.HostBytes >> 10) + " KB preallocated, message pool " + (options.PoolBytes >> 10) + " KB.");
            SocketTransport transport = null;
            EngineLog engine = null;
            try
            {
                transport = Listen(broker, settings, log, out engine);
            }
            catch (SocketException e)
            {
                log.Error("cannot listen on " + settings.Bind + ":" + settings.Port + ": " + e.Message);
                return 1;
            }

            log.Info("Opening ipv4 listen socket on " + settings.Bind + " port " + transport.Port + ".");
            using (stop.Register(transport.Stop))
            {
                started?.Invoke(transport.Port);
                transport.Run();
            }

            log.Info("Device broker terminating.");
            return 0;
        }

        private static SocketTransport Listen(BrokerEngine broker, BrokerSettings settings, MosquittoLog log, out EngineLog engine)
        {
            engine = new EngineLog(broker, log);
            SocketTransport transport = new SocketTransport(engine, broker.Options.Connections, engine, () => Environment.TickCount64, Platform());
            transport.Start(IPAddress.Parse(settings.Bind), settings.Port, Backlog);
            // Known only now when the port was 0.
            engine.Port = transport.Port;
            return transport;
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
            { "KeepAliveMaxSeconds", "max_keepalive" },
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
                foreach (KeyValuePair<string, int> e in settings.OptionLines)
                {
                    if (e.Key.StartsWith("max_", StringComparison.Ordinal) || e.Key == "message_size_limit" || e.Key == "memory_limit")
                    {
                        lines += (lines.Length > 0 ? ", " : "") + e.Key + " (line " + e.Value + ")";
                    }
                }

                return (settings.ConfigPath ?? "the Host profile") + ": these limits preallocate " + (bytes >> 20) + " MB, more than 3/4 of the "
                    + (available >> 20) + " MB this machine offers" + (lines.Length > 0 ? "; lower " + lines : "");
            }

            return null;
        }

        private static string At(BrokerSettings settings, string option, string reason)
        {
            if (option != null && settings.ConfigPath != null && settings.OptionLines.TryGetValue(option, out int line))
            {
                return settings.ConfigPath + ":" + line + ": " + option + " " + reason;
            }

            return "the limits do not work together: " + reason;
        }

        /// <summary>The engine's options: the Host (or, with --profile device, the board's) profile, then each limit the config file set.</summary>
        public static BrokerOptions OptionsFor(BrokerSettings s)
        {
            BrokerOptions o = s.DeviceProfile ? BrokerOptions.Device() : BrokerOptions.Host();
            o.AllowAnonymous = s.EffectiveAllowAnonymous;
            if (s.MaxConnections.HasValue)
            {
                o.MaxClients = s.MaxConnections.Value;
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

            if (s.MessageSizeLimit.HasValue)
            {
                // Mosquitto limits the payload; the engine limits whole packets (its buffers are that big), so
                // leave room for the fixed header, the longest topic and a packet id.
                o.MaxPacketSize = (int)Math.Min((long)s.MessageSizeLimit.Value + 5 + 2 + o.MaxTopicLength + 2, BrokerOptions.MqttMaxPacket);
                if (!o.GrowBuffers)
                {
                    // Fixed buffers (--profile device) must take one packet whole; grown ones grow for it.
                    o.TxBufferSize = Math.Max(o.TxBufferSize, o.MaxPacketSize);
                }
            }

            if (s.MaxKeepalive.HasValue)
            {
                o.KeepAliveMaxSeconds = s.MaxKeepalive.Value;
            }

            return o;
        }

        private static bool LoadSecurity(BrokerEngine broker, BrokerSettings settings, HostFiles files, MosquittoLog log)
        {
            if (files.Passwords != null)
            {
                PasswordFile passwords = files.Passwords;
                // The engine only asks about a user name with a non-empty password (it refuses the others itself).
                broker.Users.UseExternalCheck((name, nameOffset, nameLength, password, passwordOffset, passwordLength) =>
                {
                    string user = Encoding.UTF8.GetString(name, nameOffset, nameLength);
                    return passwords.Verify(user, new ReadOnlySpan<byte>(password, passwordOffset, passwordLength)) ? AuthResult.Accepted : AuthResult.WrongPassword;
                });
            }

            if (files.AclText != null)
            {
                List<FileError> errors = HostFiles.LoadAcl(broker.Acl, files.AclPath, files.AclText);
                foreach (FileError e in errors)
                {
                    log.Error(e.ToString());
                }

                if (errors.Count > 0)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
