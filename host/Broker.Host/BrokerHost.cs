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

        public static int Run(Settings settings, HostFiles files, Log log, CancellationToken stop, Action<int> started)
        {
            BrokerOptions options = OptionsFor(settings);
            string problem = options.Check();
            if (problem != null)
            {
                log.Error("the limits do not work together: " + problem);
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

        private static SocketTransport Listen(BrokerEngine broker, Settings settings, Log log, out EngineLog engine)
        {
            engine = new EngineLog(broker, log);
            SocketTransport transport = new SocketTransport(engine, broker.Options.Connections, engine, () => Environment.TickCount64, new SelectPlatform());
            transport.Start(IPAddress.Parse(settings.Bind), settings.Port, Backlog);
            // Known only now when the port was 0.
            engine.Port = transport.Port;
            return transport;
        }

        /// <summary>The engine's options: the Host (or, with --profile device, the board's) profile, then each limit the config file set.</summary>
        public static BrokerOptions OptionsFor(Settings s)
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
            }
            if (s.StallTimeoutSeconds.HasValue)
            {
                o.StallTimeoutMs = s.StallTimeoutSeconds.Value * 1000;
            }
            if (s.MessageSizeLimit.HasValue)
            {
                // Mosquitto limits the payload; the engine limits whole packets (its buffers are that big), so
                // leave room for the fixed header, the longest topic and a packet id.
                o.MaxPacketSize = s.MessageSizeLimit.Value + 5 + 2 + o.MaxTopicLength + 2;
                o.TxBufferSize = Math.Max(o.TxBufferSize, o.MaxPacketSize);
            }
            if (s.MaxKeepalive.HasValue)
            {
                o.KeepAliveMaxSeconds = s.MaxKeepalive.Value;
            }
            return o;
        }

        private static bool LoadSecurity(BrokerEngine broker, Settings settings, HostFiles files, Log log)
        {
            if (files.Passwords != null)
            {
                PasswordFile passwords = files.Passwords;
                broker.Users.UseExternalCheck((name, nameOffset, nameLength, hasPassword, password, passwordOffset, passwordLength) =>
                {
                    string user = Encoding.UTF8.GetString(name, nameOffset, nameLength);
                    if (!hasPassword)
                    {
                        return Users.WrongPassword;
                    }
                    return passwords.Verify(user, new ReadOnlySpan<byte>(password, passwordOffset, passwordLength)) ? Users.Accepted : Users.WrongPassword;
                });
            }

            if (files.Acl != null)
            {
                List<FileError> errors = new List<FileError>();
                foreach (AclRule rule in files.Acl)
                {
                    byte access = rule.Access switch
                    {
                        AclAccess.Read => Acl.Read,
                        AclAccess.Write => Acl.Write,
                        AclAccess.Deny => Acl.Deny,
                        _ => Acl.ReadWrite,
                    };
                    bool ok = rule.IsPattern ? broker.Acl.AddPattern(access, rule.Topic) : broker.Acl.AddTopic(rule.User, access, rule.Topic);
                    if (!ok)
                    {
                        errors.Add(new FileError(settings.AclFile, rule.Line, "the rule does not fit the ACL's preallocated room ("
                            + broker.Options.MaxAclRules + " rules, " + broker.Options.AclBytes + " bytes) or its topic is too long"));
                    }
                }
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
