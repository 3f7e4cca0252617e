namespace Broker.Host
{
    /// <summary>
    /// What the broker program runs with, after the config file and then the command line (which wins) are applied.
    /// A null limit means "the Host profile's value"; the engine's options are made from this in one place (BrokerHost).
    /// </summary>
    public sealed class BrokerSettings
    {
        public int Port = 1883;

        /// <summary>Loopback unless the config file's listener says otherwise, as in Mosquitto 2's local-only mode.</summary>
        public string Bind = "127.0.0.1";

        /// <summary>True once a config file has a listener line: Mosquitto 2 then refuses anonymous clients by default.</summary>
        public bool HasListener;

        public bool? AllowAnonymous;
        public string PasswordFile;
        public string AclFile;
        public int? MaxConnections;
        public int? MaxInflightMessages;
        public int? MaxQueuedMessages;
        public int? MaxQueuedBytes;
        public bool? QueueQos0Messages;

        /// <summary>memory_limit: the engine's shared message pool (BrokerOptions.PoolBytes), not the whole process.</summary>
        public int? MemoryLimit;

        /// <summary>stall_timeout (ours): seconds a subscriber may hold publishers back while taking nothing.</summary>
        public int? StallTimeoutSeconds;
        public int? MessageSizeLimit;
        public bool? RetainAvailable;
        public int? MaxKeepalive;

        public bool Verbose;

        /// <summary>persistence, persistence_location, persistence_file, autosave_interval, fsync (docs/PERSISTENCE.md).</summary>
        public readonly PersistenceSettings Persistence = new PersistenceSettings();

        /// <summary>The config file and the line each option came from, so a limit the engine cannot honour is reported there.</summary>
        public string ConfigPath;
        public readonly System.Collections.Generic.Dictionary<string, int> OptionLines = new System.Collections.Generic.Dictionary<string, int>();

        /// <summary>Run BrokerOptions.Device() (the board's limits) instead of BrokerOptions.Host().</summary>
        public bool DeviceProfile;

        /// <summary>Mosquitto 2: anonymous clients are allowed only in local-only mode unless allow_anonymous says so.</summary>
        public bool EffectiveAllowAnonymous
        {
            get { return AllowAnonymous ?? !HasListener; }
        }
    }
}
