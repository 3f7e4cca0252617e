namespace Broker.Host
{
    /// <summary>One listening socket: Mosquitto's default listener (port, bind_address) or a listener block.</summary>
    public sealed class ListenerSettings
    {
        public int Port = 1883;

        /// <summary>An IPv4 address; Mosquitto listens on every interface when a listener names none.</summary>
        public string Bind = "0.0.0.0";

        /// <summary>Mosquitto's per-listener max_connections; null (or -1 in the file) is no limit of its own.</summary>
        public int? MaxConnections;

        /// <summary>Used only when per_listener_settings is true.</summary>
        public readonly SecuritySettings Security = new SecuritySettings();

        /// <summary>The listener line (or the port line); null for the built-in default listener.</summary>
        public string File;
        public int Line;

        /// <summary>"file:line" of the listener line, or "default" for the port/bind_address listener.</summary>
        public string At
        {
            get { return File != null ? File + ":" + Line : "the default listener"; }
        }
    }
}
