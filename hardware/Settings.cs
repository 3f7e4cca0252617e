using System;
using System.IO;
using Device.Protocol;

namespace Device.Hardware
{
    /// <summary>
    /// What the board is told at start-up. Everything has a default, so a board whose Wi-Fi credentials were
    /// stored with `nanoff --networkdeployment` runs without any settings file. The optional file
    /// (I:\settings.json on the board's internal drive, uploaded with `nanoff --filedeployment`; see flash.md and
    /// hardware/settings.example.json) can give the credentials and change the port, the report interval and the
    /// client limit.
    /// </summary>
    internal sealed partial class Settings
    {
        public const string FilePath = "I:\\settings.json";

        // A settings file is a few lines; anything bigger is a mistake and must not eat the broker's heap.
        private const int MaxFileBytes = 2048;

        /// <summary>Wi-Fi network; null means: use the credentials stored on the board.</summary>
        public string Ssid;

        public string Password;

        public int Port = 1883;

        public int StatusSeconds = 60;

        /// <summary>
        /// Clients served at once; 0 keeps the Device profile's (BrokerOptions.Device().MaxClients). At most
        /// <see cref="MaxClientsLimit"/>.
        /// </summary>
        public int MaxClients;

        /// <summary>
        /// The most clients the board's 48 KB budget holds: the Device profile with 10 clients and the board store is
        /// 49,140 of 49,152 B, and with a bridge (Settings.WithBridge) 48,156 B; an eleventh client would be over in
        /// both (host/Host.Tests: BoardClientLimitTests, BridgeFootprintTests). lwIP on the ESP32 firmware has 16
        /// sockets in all, and the listener, DNS, SNTP and the spare connection slot take some of them, so 12 would
        /// be the sockets' limit; the budget is the tighter one.
        /// </summary>
        public const int MaxClientsLimit = 10;

        /// <summary>
        /// The board store (docs/PERSISTENCE.md, "Board image"): at most one image on I:\ every this many seconds; 0 = off.
        /// 60 s is at most 60 flash writes an hour (years of a wear-levelled drive at 1 message/s) and, on a power cut, at
        /// most the last 60 s of changes lost.
        /// </summary>
        public int PersistenceSeconds = 60;

        /// <summary>Where the board store keeps its two images (mqtt0.img, mqtt1.img).</summary>
        public const string Drive = "I:\\";

        /// <summary>
        /// Mosquitto's password_file on the board's drive (for example I:\passwords), the same format (hashed lines
        /// only; hardware/SecurityFiles.cs reads it with the engine's parser); null: no users.
        /// </summary>
        public string PasswordFile;

        /// <summary>Mosquitto's acl_file on the board's drive; null: no ACL. A file that is given means deny unless allowed.</summary>
        public string AclFile;

        /// <summary>
        /// Whether clients without a user name may connect. Not given: only when there is no password file (as
        /// Mosquitto 2.0, which refuses anonymous clients once a listener has a password file).
        /// </summary>
        public bool AllowAnonymous = true;

        private bool _anonymousGiven;

        /// <summary>Log level and outputs (logLevel, syslogHost, syslogPort, logTopic, logTopicBytes; hardware/LogSettings.cs).</summary>
        public readonly LogSettings Logging = new LogSettings();

        /// <summary>Where the values came from, for the start-up log.</summary>
        public string Source = "defaults (Wi-Fi credentials stored on the board)";

        /// <summary>
        /// Reads the settings file if there is one. A file that cannot be read or parsed is reported and ignored
        /// as a whole (defaults apply): half-applied settings would be harder to diagnose than none.
        /// </summary>
        public static Settings Load()
        {
            Settings s = new Settings();
            string text;
            try
            {
                if (!File.Exists(FilePath))
                {
                    return s;
                }

                text = ReadText(FilePath, MaxFileBytes);
            }
            catch (Exception ex)
            {
                // A board without the internal drive (or an unformatted one) throws here; that is not fatal.
                Log.Error("settings: cannot read " + FilePath + ", using defaults", ex);
                return s;
            }

            if (text == null)
            {
                Log.Line("settings: " + FilePath + " is larger than " + MaxFileBytes + " bytes, using defaults");
                return s;
            }

            Settings parsed = new Settings();
            string error = SettingsJson.Parse(text, parsed);
            if (error != null)
            {
                Log.Line("settings: " + FilePath + ": " + error + "; using defaults");
                return s;
            }

            parsed.Source = FilePath;
            return parsed;
        }

        /// <summary>Sets one value from the file; null when accepted, otherwise why not.</summary>
        public string Apply(string key, string text, int number, int kind)
        {
            if (LogSettings.Knows(key))
            {
                return Logging.Apply(key, text, number, kind);
            }

            if (key == "ssid" || key == "password")
            {
                if (kind != SettingsJson.KindString)
                {
                    return "\"" + key + "\" must be a string";
                }

                if (key == "ssid")
                {
                    // Empty means "not given", so a copy of the example with a blank ssid still boots on stored credentials.
                    Ssid = text.Length == 0 ? null : text;
                }
                else
                {
                    Password = text;
                }

                return null;
            }

            if (key == "passwordFile" || key == "aclFile")
            {
                if (kind != SettingsJson.KindString || text.Length == 0)
                {
                    return "\"" + key + "\" must be a file path such as I:\\\\" + (key == "aclFile" ? "acl" : "passwords");
                }

                if (key == "passwordFile")
                {
                    PasswordFile = text;
                    if (!_anonymousGiven)
                    {
                        AllowAnonymous = false;
                    }
                }
                else
                {
                    AclFile = text;
                }

                return null;
            }

            if (key == "allowAnonymous")
            {
                if (kind != SettingsJson.KindBool)
                {
                    return "\"allowAnonymous\" must be true or false";
                }

                AllowAnonymous = number != 0;
                _anonymousGiven = true;
                return null;
            }

            if (key == "port")
            {
                if (kind != SettingsJson.KindNumber || number < 1 || number > 65535)
                {
                    return "\"port\" must be a number from 1 to 65535";
                }

                Port = number;
                return null;
            }

            if (key == "statusSeconds")
            {
                if (kind != SettingsJson.KindNumber || number < 5 || number > 86400)
                {
                    return "\"statusSeconds\" must be a number from 5 to 86400";
                }

                StatusSeconds = number;
                return null;
            }

            if (key == "maxClients")
            {
                if (kind != SettingsJson.KindNumber || number < 1 || number > MaxClientsLimit)
                {
                    return "\"maxClients\" must be a number from 1 to " + MaxClientsLimit.ToString();
                }

                MaxClients = number;
                return null;
            }

            if (key == "persistenceSeconds")
            {
                if (kind != SettingsJson.KindNumber || (number != 0 && (number < 10 || number > 86400)))
                {
                    return "\"persistenceSeconds\" must be 0 (off) or a number from 10 to 86400";
                }

                PersistenceSeconds = number;
                return null;
            }

            return "unknown setting \"" + key + "\" (known: ssid, password, port, statusSeconds, maxClients, passwordFile, aclFile, allowAnonymous, persistenceSeconds, " + LogSettings.Keys + ", bridge)";
        }

        /// <summary>The file as text, or null when it is larger than <paramref name="maxBytes"/> (it throws when it cannot be read).</summary>
        internal static string ReadText(string path, int maxBytes)
        {
            FileStream f = new FileStream(path, FileMode.Open, FileAccess.Read);
            try
            {
                long length = f.Length;
                if (length > maxBytes)
                {
                    return null;
                }

                byte[] bytes = new byte[(int)length];
                int got = 0;
                while (got < bytes.Length)
                {
                    int n = f.Read(bytes, got, bytes.Length - got);
                    if (n <= 0)
                    {
                        break;
                    }

                    got += n;
                }

                return Utf8.Decode(bytes, 0, got);
            }
            finally
            {
                f.Dispose();
            }
        }
    }
}
