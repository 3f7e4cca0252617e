using System.Collections.Generic;

namespace Broker.Host
{
    /// <summary>Where the reading of a config file stands: the listener block the lines belong to, and what was seen where.</summary>
    public sealed class ConfigState
    {
        private readonly Dictionary<string, string> _seen = new Dictionary<string, string>();
        private readonly HashSet<string> _noted = new HashSet<string>();

        public ConfigState(BrokerSettings settings)
        {
            Settings = settings;
        }

        public BrokerSettings Settings { get; }

        /// <summary>The listener block being read; null before the first listener line (the default listener).</summary>
        public ListenerSettings Current;

        /// <summary>The `connection` block being read; a listener line ends it.</summary>
        public Device.Net.BridgeOptions Bridge;

        /// <summary>The listener whose listener-scoped options the line sets.</summary>
        public ListenerSettings Listener
        {
            get { return Current ?? Settings.Default; }
        }

        /// <summary>The security options a line sets: the listener's own with per_listener_settings, else the global ones.</summary>
        public SecuritySettings Security
        {
            get { return Settings.PerListenerSettings ? Listener.Security : Settings.Security; }
        }

        /// <summary>Null the first time an option is set in its scope; a repeat can only be a mistake (Mosquitto calls it a duplicate).</summary>
        public string Once(ConfigFile.ConfigLine l)
        {
            return Once(l, false);
        }

        /// <summary>As <see cref="Once(ConfigFile.ConfigLine)"/>; listener-scoped options may appear once per listener block.</summary>
        public string Once(ConfigFile.ConfigLine l, bool perListener)
        {
            string key = (perListener && Current != null ? Current.At + "|" : "|") + l.Option;
            if (_seen.TryGetValue(key, out string first))
            {
                return l.Option + " is given twice (first at " + first + ")";
            }

            _seen[key] = l.At;
            return null;
        }

        /// <summary>Remembers a note for the start-up log, once per option.</summary>
        public string Note(ConfigFile.ConfigLine l, string note)
        {
            if (_noted.Add(l.Option))
            {
                Settings.Notes.Add(l.Option + " (" + l.At + "): " + note);
            }

            return null;
        }

        /// <summary>Checks that need the whole file: listeners that clash.</summary>
        public List<FileError> Finish()
        {
            List<FileError> errors = new List<FileError>();
            Dictionary<int, string> ports = new Dictionary<int, string>();
            foreach (ListenerSettings l in Settings.EffectiveListeners)
            {
                if (l.Port == 0)
                {
                    continue;
                }

                if (ports.TryGetValue(l.Port, out string first))
                {
                    errors.Add(new FileError(l.File ?? "config", l.Line, "port " + l.Port + " is already used by the listener at " + first));
                }
                else
                {
                    ports[l.Port] = l.At;
                }
            }

            if (Settings.PerListenerSettings)
            {
                // The engine assigns ids one way for all listeners.
                string prefix = null, zero = null;
                foreach (ListenerSettings l in Settings.EffectiveListeners)
                {
                    string p = l.Security.AutoIdPrefix ?? "auto-";
                    string z = (l.Security.AllowZeroLengthClientId ?? true) ? "true" : "false";
                    if ((prefix != null && prefix != p) || (zero != null && zero != z))
                    {
                        errors.Add(new FileError(l.File ?? "config", l.Line,
                            "auto_id_prefix and allow_zero_length_clientid must be the same on every listener here (the engine assigns client ids one way for all)"));
                        break;
                    }

                    prefix = p;
                    zero = z;
                }
            }

            return errors;
        }
    }
}
