namespace Device.Hardware
{
    /// <summary>
    /// How much the board says, as syslog severities (RFC 5424 6.2.1), so a line's level is also its syslog severity:
    /// error 3, warning 4, notice 5, info 6, debug 7. A line is written when its level is at most the setting.
    /// </summary>
    internal static class LogLevel
    {
        public const int Error = 3;
        public const int Warning = 4;
        public const int Notice = 5;
        public const int Info = 6;
        public const int Debug = 7;

        /// <summary>The names the settings file takes, in order of severity.</summary>
        public const string Names = "error, warning, notice, info, debug";

        /// <summary>The level named <paramref name="name"/>, or -1.</summary>
        public static int Parse(string name)
        {
            switch (name)
            {
                case "error": return Error;
                case "warning": return Warning;
                case "notice": return Notice;
                case "info": return Info;
                case "debug": return Debug;
                default: return -1;
            }
        }

        /// <summary>The one-letter name Mosquitto uses for a level in its $SYS/broker/log/X topics.</summary>
        public static char Letter(int level)
        {
            switch (level)
            {
                case Error: return 'E';
                case Warning: return 'W';
                case Notice: return 'N';
                case Info: return 'I';
                default: return 'D';
            }
        }
    }
}
