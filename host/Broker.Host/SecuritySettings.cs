namespace Broker.Host
{
    /// <summary>
    /// Mosquitto's security options: global, or one set per listener when per_listener_settings is true
    /// (then the ones before the first listener line belong to the default listener, as in Mosquitto's conf.c).
    /// </summary>
    public sealed class SecuritySettings
    {
        public bool? AllowAnonymous;
        public string PasswordFile;
        public string AclFile;
        public bool? AllowZeroLengthClientId;
        public string AutoIdPrefix;

        /// <summary>Where each was set, for messages about them ("file:line").</summary>
        public string PasswordFileAt;
        public string AclFileAt;

        public bool IsEmpty
        {
            get { return AllowAnonymous == null && PasswordFile == null && AclFile == null && AllowZeroLengthClientId == null && AutoIdPrefix == null; }
        }
    }
}
