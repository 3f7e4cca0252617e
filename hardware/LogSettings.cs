namespace Device.Hardware
{
    /// <summary>
    /// The log part of the settings file: how much to say and where to, besides the debugger's console (which only
    /// reaches Visual Studio while it is attached). Both outputs are off unless the file turns them on.
    ///   "logLevel": "error" | "warning" | "notice" | "info" | "debug" (default info)
    ///   "syslogHost": "192.168.1.10" (an IPv4 address: no DNS lookup on the board's log path), "syslogPort": 514
    ///   "logTopic": true (publish every line on $SYS/broker/log/E|W|N|I|D through the embedding API),
    ///   "logTopicBytes": 1024 (the buffer that holds lines until the loop publishes them; a line that does not fit is
    ///   dropped and counted)
    /// </summary>
    internal sealed class LogSettings
    {
        public const string Keys = "logLevel, syslogHost, syslogPort, logTopic, logTopicBytes";

        public const int MinTopicBytes = 256;
        public const int MaxTopicBytes = 8192;

        public int Level = LogLevel.Info;

        /// <summary>The syslog collector's IPv4 address as given; null: no syslog.</summary>
        public string SyslogHost;

        public int SyslogPort = 514;

        public bool Topic;

        public int TopicBytes = 1024;

        public static bool Knows(string key)
        {
            return key == "logLevel" || key == "syslogHost" || key == "syslogPort" || key == "logTopic" || key == "logTopicBytes";
        }

        /// <summary>Sets one of <see cref="Keys"/>; null when accepted, otherwise why not (with the allowed values).</summary>
        public string Apply(string key, string text, int number, int kind)
        {
            if (key == "logLevel")
            {
                int level = kind == SettingsJson.KindString ? LogLevel.Parse(text) : -1;
                if (level < 0)
                {
                    return "\"logLevel\" must be one of " + LogLevel.Names;
                }

                Level = level;
                return null;
            }

            if (key == "syslogHost")
            {
                if (kind != SettingsJson.KindString || !IsIPv4(text))
                {
                    return "\"syslogHost\" must be an IPv4 address such as \"192.168.1.10\"";
                }

                SyslogHost = text;
                return null;
            }

            if (key == "syslogPort")
            {
                if (kind != SettingsJson.KindNumber || number < 1 || number > 65535)
                {
                    return "\"syslogPort\" must be a number from 1 to 65535";
                }

                SyslogPort = number;
                return null;
            }

            if (key == "logTopic")
            {
                if (kind != SettingsJson.KindBool)
                {
                    return "\"logTopic\" must be true or false";
                }

                Topic = number != 0;
                return null;
            }

            if (kind != SettingsJson.KindNumber || number < MinTopicBytes || number > MaxTopicBytes)
            {
                return "\"logTopicBytes\" must be a number from " + MinTopicBytes.ToString() + " to " + MaxTopicBytes.ToString();
            }

            TopicBytes = number;
            return null;
        }

        /// <summary>Four decimal numbers 0-255 with dots between, nothing else.</summary>
        internal static bool IsIPv4(string text)
        {
            char[] c = text.ToCharArray();
            int parts = 0;
            int i = 0;
            while (i < c.Length)
            {
                int value = 0;
                int digits = 0;
                while (i < c.Length && c[i] >= '0' && c[i] <= '9' && digits < 4)
                {
                    value = value * 10 + (c[i] - '0');
                    digits++;
                    i++;
                }

                if (digits == 0 || digits > 3 || value > 255)
                {
                    return false;
                }

                parts++;
                if (i == c.Length)
                {
                    break;
                }

                if (c[i] != '.' || parts == 4)
                {
                    return false;
                }

                i++;
                if (i == c.Length)
                {
                    return false;
                }
            }

            return parts == 4;
        }
    }
}
