using System.Collections.Generic;

namespace Broker.Host
{
    /// <summary>
    /// What the broker program runs with, after the config file and then the command line (which wins) are applied.
    /// A null limit means "the Host profile's value"; the engine's options are made from this in one place (BrokerHost).
    /// </summary>
    public sealed class BrokerSettings
    {
        /// <summary>The default listener: `port` and `bind_address`, or Mosquitto 2's local-only 127.0.0.1:1883.</summary>
        public readonly ListenerSettings Default = new ListenerSettings { Bind = "127.0.0.1" };

        /// <summary>True once the file had a `port` line (the default listener then listens on every interface).</summary>
        public bool HasPort;

        /// <summary>Set when bind_address was given, so `port` does not widen it to every interface.</summary>
        public bool HasBindAddress;

        /// <summary>The `listener` blocks, in file order.</summary>
        public readonly List<ListenerSettings> Listeners = new List<ListenerSettings>();

        public bool PerListenerSettings;

        /// <summary>The security options when per_listener_settings is false.</summary>
        public readonly SecuritySettings Security = new SecuritySettings();

        public int? MaxInflightMessages;
        public int? MaxQueuedMessages;
        public int? MaxQueuedBytes;
        public bool? QueueQos0Messages;

        /// <summary>memory_limit: the engine's shared message pool (BrokerOptions.PoolBytes), not the whole process.</summary>
        public int? MemoryLimit;

        /// <summary>stall_timeout (ours): seconds a subscriber may hold publishers back while taking nothing.</summary>
        public int? StallTimeoutSeconds;
        public int? MessageSizeLimit;
        public int? MaxPacketSize;
        public int? MaxKeepalive;
        public int? MaxQos;
        public bool? RetainAvailable;
        public bool? UpgradeOutgoingQos;

        /// <summary>Seconds; null = never (Mosquitto's default).</summary>
        public long? PersistentClientExpiration;

        /// <summary>max_inflight_bytes: read and checked, not enforced (the flow-control pool bounds in-flight bytes).</summary>
        public long? MaxInflightBytes;

        // Persistence (docs/PERSISTENCE.md): Mosquitto's options, kept in one PersistenceSettings for the store.
        public bool Persistence { get { return Store.Enabled; } set { Store.Enabled = value; } }

        public string PersistenceLocation { get { return Store.Location; } set { Store.Location = value; } }

        public string PersistenceFile { get { return Store.File; } set { Store.File = value; } }

        public int AutosaveInterval { get { return Store.AutosaveIntervalSeconds; } set { Store.AutosaveIntervalSeconds = value; } }

        public string PidFile;
        public int? SysInterval;

        // Logging.
        public readonly List<string> LogDest = new List<string>();
        public LogTypes LogTypes = LogTypes.None;
        public bool LogTypesSet;
        public bool ConnectionMessages = true;
        public bool LogTimestamp = true;

        /// <summary>Options accepted but not acted on, each with why: logged once at start-up.</summary>
        public readonly List<string> Notes = new List<string>();

        /// <summary>`connection` blocks (docs/BRIDGE.md).</summary>
        public readonly List<Device.Net.BridgeOptions> Bridges = new List<Device.Net.BridgeOptions>();

        public bool Verbose;

        /// <summary>persistence, persistence_location, persistence_file, autosave_interval, fsync (docs/PERSISTENCE.md).</summary>
        public readonly PersistenceSettings Store = new PersistenceSettings();

        /// <summary>The config file, and where ("file:line") each option came from (include_dir files keep their own names), so a limit the engine cannot honour is reported there.</summary>
        public string ConfigPath;
        public readonly System.Collections.Generic.Dictionary<string, string> OptionLines = new System.Collections.Generic.Dictionary<string, string>();

        /// <summary>Run BrokerOptions.Device() (the board's limits) instead of BrokerOptions.Host().</summary>
        public bool DeviceProfile;

        /// <summary>Every listener the broker opens: the default one unless only listener blocks were given, then the blocks.</summary>
        public List<ListenerSettings> EffectiveListeners
        {
            get
            {
                List<ListenerSettings> all = new List<ListenerSettings>();
                if (HasPort || Listeners.Count == 0)
                {
                    all.Add(Default);
                }

                all.AddRange(Listeners);
                return all;
            }
        }

        /// <summary>True once a config file opened a listener (port or listener): Mosquitto 2 then refuses anonymous clients by default.</summary>
        public bool HasListener
        {
            get { return HasPort || Listeners.Count > 0; }
        }

        /// <summary>The security options a listener runs with.</summary>
        public SecuritySettings SecurityOf(ListenerSettings l)
        {
            return PerListenerSettings ? l.Security : Security;
        }

        /// <summary>Mosquitto 2: anonymous clients are allowed only in local-only mode unless allow_anonymous says so.</summary>
        public bool AllowAnonymousOf(ListenerSettings l)
        {
            return SecurityOf(l).AllowAnonymous ?? !HasListener;
        }

        // ---- The single-listener view the rest of the program and the older tests use ----------------

        public int Port
        {
            get { return EffectiveListeners[0].Port; }
            set { EffectiveListeners[0].Port = value; }
        }

        public string Bind
        {
            get { return EffectiveListeners[0].Bind; }
            set { EffectiveListeners[0].Bind = value; }
        }

        public string PasswordFile
        {
            get { return SecurityOf(EffectiveListeners[0]).PasswordFile; }
        }

        public string AclFile
        {
            get { return SecurityOf(EffectiveListeners[0]).AclFile; }
        }

        public int? MaxConnections
        {
            get { return EffectiveListeners[0].MaxConnections; }
            set { EffectiveListeners[0].MaxConnections = value; }
        }

        public bool EffectiveAllowAnonymous
        {
            get { return AllowAnonymousOf(EffectiveListeners[0]); }
        }
    }
}
