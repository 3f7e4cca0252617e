using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System;
using Device.Broker;

namespace Broker.Host
{
    /// <summary>
    /// Reads the subset of mosquitto.conf this broker understands, so an existing file can be reused. Any line it
    /// cannot honour exactly (an unknown option, a bad value, a second listener) is an error with file name, line
    /// number and reason, and the broker refuses to start rather than run with a setting silently ignored.
    /// </summary>
    public static class ConfigFile
    {
        public static readonly string[] Options =
        {
            "listener", "bind_address", "allow_anonymous", "password_file", "acl_file", "max_connections",
            "max_inflight_messages", "max_queued_messages", "max_queued_bytes", "queue_qos0_messages", "memory_limit",
            "stall_timeout", "message_size_limit", "retain_available", "max_keepalive",
        };

        /// <summary>Applies the file to <paramref name="settings"/>; throws FileErrorsException listing every bad line.</summary>
        public static void Load(string path, BrokerSettings settings)
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new FileErrorsException(new[] { new FileError(path, 0, "cannot read config file: " + e.Message) });
            }

            string baseDir = Path.GetDirectoryName(Path.GetFullPath(path));
            settings.ConfigPath = path;
            List<FileError> errors = Apply(path, lines, baseDir, settings);
            if (errors.Count > 0)
            {
                throw new FileErrorsException(errors);
            }
        }

        /// <summary>
        /// Applies each good line and returns the bad ones. Relative file names are taken from
        /// <paramref name="baseDir"/> (the config file's folder), so the broker can be started from anywhere.
        /// </summary>
        public static List<FileError> Apply(string file, string[] lines, string baseDir, BrokerSettings settings)
        {
            List<FileError> errors = new List<FileError>();
            Dictionary<string, int> seen = new Dictionary<string, int>();
            for (int i = 0; i < lines.Length; i++)
            {
                int lineNo = i + 1;
                string line = lines[i].Trim();
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }

                int space = line.IndexOfAny(new[] { ' ', '\t' });
                string option = space < 0 ? line : line.Substring(0, space);
                string value = space < 0 ? "" : line.Substring(space + 1).Trim();
                string reason = Array.IndexOf(Options, option) < 0 && !PersistenceSettings.Handles(option)
                    ? UnknownOption(option)
                    : Duplicate(option, lineNo, seen) ?? ApplyOption(option, value, baseDir, settings);
                if (reason != null)
                {
                    errors.Add(new FileError(file, lineNo, reason));
                }
                else
                {
                    settings.OptionLines[option] = lineNo;
                }
            }

            return errors;
        }

        private static string UnknownOption(string option)
        {
            return "unknown or unsupported option '" + option + "' (this broker reads: " + string.Join(", ", Options) + ", "
                + string.Join(", ", PersistenceSettings.Options) + ")";
        }

        // Mosquitto lets some options repeat per listener; with one listener a repeat can only be a mistake.
        private static string Duplicate(string option, int lineNo, Dictionary<string, int> seen)
        {
            if (seen.TryGetValue(option, out int first))
            {
                return option == "listener"
                    ? "a second listener (first on line " + first + "): this broker listens on one port"
                    : option + " is given twice (first on line " + first + ")";
            }

            seen[option] = lineNo;
            return null;
        }

        private static string ApplyOption(string option, string value, string baseDir, BrokerSettings s)
        {
            if (value.Length == 0)
            {
                return option + " needs a value";
            }

            if (PersistenceSettings.Handles(option))
            {
                return s.Persistence.Apply(option, value, baseDir);
            }

            switch (option)
            {
                case "password_file":
                    s.PasswordFile = Path.GetFullPath(Path.Combine(baseDir, value));
                    return null;
                case "acl_file":
                    s.AclFile = Path.GetFullPath(Path.Combine(baseDir, value));
                    return null;
            }

            string[] words = value.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
            if (option == "listener")
            {
                return Listener(words, s);
            }

            if (words.Length != 1)
            {
                return option + " takes one value, got " + words.Length;
            }

            string word = words[0];
            switch (option)
            {
                case "bind_address":
                    return Address(word, a => s.Bind = a);
                case "allow_anonymous":
                    return Bool(option, word, b => s.AllowAnonymous = b);
                case "retain_available":
                    if (word == "false")
                    {
                        return "retain_available false is not supported: this broker always keeps retained messages";
                    }

                    return Bool(option, word, b => s.RetainAvailable = b);
                case "max_connections":
                    // Mosquitto's -1 means unlimited; here that is the Host profile's client count.
                    if (word == "-1")
                    {
                        s.MaxConnections = null;
                        return null;
                    }

                    return Int(option, word, 1, 30000, "(or -1 for the Host profile's count)", n => s.MaxConnections = n);
                // The engine's per-session in-flight count is 16-bit (BrokerOptions.MaxSlots).
                case "max_inflight_messages":
                    return Int(option, word, 1, BrokerOptions.MaxSlots, NoUnlimited, n => s.MaxInflightMessages = n);
                case "max_queued_messages":
                    return Int(option, word, 1, 1000000, NoUnlimited, n => s.MaxQueuedMessages = n);
                case "max_queued_bytes":
                    // Here 0 is Mosquitto's own default: no byte limit (the pool still bounds the queues).
                    return Int(option, word, 0, 1073741824, "(0 = no byte limit)", n => s.MaxQueuedBytes = n);
                case "queue_qos0_messages":
                    return Bool(option, word, b => s.QueueQos0Messages = b);
                case "memory_limit":
                    return Int(option, word, 1024, 1073741824, "(the message pool is sized at start-up, so 0 is not possible)", n => s.MemoryLimit = n);
                case "stall_timeout":
                    return Int(option, word, 1, 3600, "seconds", n => s.StallTimeoutSeconds = n);
                case "message_size_limit":
                    return Int(option, word, 1, 268435455, NoUnlimited, n => s.MessageSizeLimit = n);
                default:
                    return Int(option, word, 0, 65535, "", n => s.MaxKeepalive = n);
            }
        }

        private const string NoUnlimited = "(0, Mosquitto's 'no limit', is not possible: this broker sizes its memory at start-up)";

        private static string Listener(string[] words, BrokerSettings s)
        {
            if (words.Length > 2)
            {
                return "listener takes a port and an optional bind address";
            }

            string reason = Int("listener", words[0], 1, 65535, "", n => s.Port = n);
            if (reason != null)
            {
                return reason;
            }

            // As in Mosquitto: a listener without an address listens on every interface.
            s.HasListener = true;
            s.Bind = "0.0.0.0";
            return words.Length == 2 ? Address(words[1], a => s.Bind = a) : null;
        }

        private static string Bool(string option, string word, Action<bool> set)
        {
            // Mosquitto accepts exactly these two words.
            if (word == "true" || word == "false")
            {
                set(word == "true");
                return null;
            }

            return option + ": '" + word + "' is not true or false";
        }

        private static string Int(string option, string word, int min, int max, string hint, Action<int> set)
        {
            if (!int.TryParse(word, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n))
            {
                return option + ": '" + word + "' is not a whole number";
            }

            if (n < min || n > max)
            {
                return option + ": " + n + " is outside " + min + ".." + max + (hint.Length > 0 ? " " + hint : "");
            }

            set(n);
            return null;
        }

        /// <summary>Null when <paramref name="word"/> is an address the transport can bind (then passed to set), else why not.</summary>
        public static string Address(string word, Action<string> set)
        {
            // The board's System.Net takes IPv4 dotted quads only, and so does the shared transport.
            if (word == "localhost")
            {
                word = "127.0.0.1";
            }

            string[] parts = word.Split('.');
            if (parts.Length == 4 && Array.TrueForAll(parts, p => p.Length > 0 && p.Length <= 3
                && int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int b) && b <= 255))
            {
                set(word);
                return null;
            }

            return "'" + word + "' is not an IPv4 address (a.b.c.d or localhost)";
        }
    }
}
