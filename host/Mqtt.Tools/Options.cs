using System.Collections.Generic;
using System.IO;
using System.Text;
using System;
using Device.Client;
using Device.Protocol;

namespace Mqtt.Tools
{
    /// <summary>
    /// Command-line options of the pub and sub commands, parsed the way mosquitto_pub/mosquitto_sub 2.0 parse them
    /// (client/client_shared.c): same option names, same checks in the same order, same error texts, so scripts
    /// and habits carry over. Numbers are read like C's atoi ("abc" is 0), as Mosquitto does.
    /// </summary>
    public sealed class Options
    {
        public bool IsPub;
        public string Program;
        public string Host = "localhost";
        public int Port = 1883;
        public string Id;
        public string IdPrefix;
        public int KeepAlive = 60;
        public int Qos;
        public bool Retain;
        public bool CleanSession = true;
        public bool Debug;
        public bool Quiet;
        public bool Verbose;
        public bool NoEol;
        public int Count;
        public int TimeoutSeconds;
        public byte ProtocolLevel = Device.Protocol.ProtocolLevel.V311;
        public MessageMode Mode;
        public string File;
        public byte[] Message;
        public string Topic;
        public readonly List<string> Topics = new List<string>();
        public string Username;
        public string Password;
        public string WillTopic;
        public byte[] WillPayload;
        public int WillQos;
        public bool WillQosGiven;
        public bool WillRetain;

        public enum ParseResult { Ok, Error, Help }

        /// <summary>Parses args; on Error the message (and Mosquitto's usage hint) has been written to err.</summary>
        public static ParseResult Parse(string[] args, bool pub, TextWriter err, out Options o)
        {
            o = new Options { IsPub = pub, Program = pub ? "pub" : "sub" };
            ParseResult r = o.ParseArgs(args, err);
            if (r == ParseResult.Ok)
            {
                r = o.CheckCombination(err);
            }

            if (r == ParseResult.Error)
            {
                err.Write("\nUse '" + o.Program + " --help' to see usage.\n");
            }

            return r;
        }

        private ParseResult ParseArgs(string[] a, TextWriter err)
        {
            for (int i = 0; i < a.Length; i++)
            {
                string arg = a[i];
                string value = i + 1 < a.Length ? a[i + 1] : null;
                switch (arg)
                {
                    case "-c":
                    case "--disable-clean-session":
                        CleanSession = false;
                        continue;
                    case "-C":
                        if (IsPub) break;
                        if (value == null) return Fail(err, "Error: -C argument given but no count specified.\n\n");
                        Count = Atoi(value);
                        if (Count < 1) return Fail(err, "Error: Invalid message count \"" + Count + "\".\n\n");
                        i++;
                        continue;
                    case "-d":
                    case "--debug":
                        Debug = true;
                        continue;
                    case "-f":
                    case "--file":
                        if (!IsPub) break;
                        if (Mode != MessageMode.None) return Fail(err, "Error: Only one type of message can be sent at once.\n\n");
                        if (value == null) return Fail(err, "Error: -f argument given but no file specified.\n\n");
                        Mode = MessageMode.File;
                        File = value;
                        i++;
                        continue;
                    case "--help":
                        return ParseResult.Help;
                    case "-h":
                    case "--host":
                        if (value == null) return Fail(err, "Error: -h argument given but no host specified.\n\n");
                        Host = value;
                        i++;
                        continue;
                    case "-i":
                    case "--id":
                        if (IdPrefix != null) return Fail(err, "Error: -i and -I argument cannot be used together.\n\n");
                        if (value == null) return Fail(err, "Error: -i argument given but no id specified.\n\n");
                        Id = value;
                        i++;
                        continue;
                    case "-I":
                    case "--id-prefix":
                        if (Id != null) return Fail(err, "Error: -i and -I argument cannot be used together.\n\n");
                        if (value == null) return Fail(err, "Error: -I argument given but no id prefix specified.\n\n");
                        IdPrefix = value;
                        i++;
                        continue;
                    case "-k":
                    case "--keepalive":
                        if (value == null) return Fail(err, "Error: -k argument given but no keepalive specified.\n\n");
                        KeepAlive = Atoi(value);
                        if (KeepAlive < 5 || KeepAlive > 65535) return Fail(err, "Error: Invalid keepalive given, it must be between 5 and 65535 inclusive.\n\n");
                        i++;
                        continue;
                    case "-l":
                    case "--stdin-line":
                        if (!IsPub) break;
                        if (Mode != MessageMode.None) return Fail(err, "Error: Only one type of message can be sent at once.\n\n");
                        Mode = MessageMode.StdinLine;
                        continue;
                    case "-m":
                    case "--message":
                        if (!IsPub) break;
                        if (Mode != MessageMode.None) return Fail(err, "Error: Only one type of message can be sent at once.\n\n");
                        if (value == null) return Fail(err, "Error: -m argument given but no message specified.\n\n");
                        Message = Encoding.UTF8.GetBytes(value);
                        Mode = MessageMode.Command;
                        i++;
                        continue;
                    case "-n":
                    case "--null-message":
                        if (!IsPub) break;
                        if (Mode != MessageMode.None) return Fail(err, "Error: Only one type of message can be sent at once.\n\n");
                        Mode = MessageMode.Null;
                        continue;
                    case "-N":
                        if (IsPub) break;
                        NoEol = true;
                        continue;
                    case "-p":
                    case "--port":
                        if (value == null) return Fail(err, "Error: -p argument given but no port specified.\n\n");
                        Port = Atoi(value);
                        if (Port < 0 || Port > 65535) return Fail(err, "Error: Invalid port given: " + Port + "\n");
                        i++;
                        continue;
                    case "-P":
                    case "--pw":
                        if (value == null) return Fail(err, "Error: -P argument given but no password specified.\n\n");
                        Password = value;
                        i++;
                        continue;
                    case "-q":
                    case "--qos":
                        if (value == null) return Fail(err, "Error: -q argument given but no QoS specified.\n\n");
                        Qos = Atoi(value);
                        if (Qos < 0 || Qos > 2) return Fail(err, "Error: Invalid QoS given: " + Qos + "\n");
                        i++;
                        continue;
                    case "--quiet":
                        Quiet = true;
                        continue;
                    case "-r":
                    case "--retain":
                        if (!IsPub) break;
                        Retain = true;
                        continue;
                    case "-s":
                    case "--stdin-file":
                        if (!IsPub) break;
                        if (Mode != MessageMode.None) return Fail(err, "Error: Only one type of message can be sent at once.\n\n");
                        Mode = MessageMode.StdinFile;
                        continue;
                    case "-t":
                    case "--topic":
                        if (value == null) return Fail(err, "Error: -t argument given but no topic specified.\n\n");
                        if (!AddTopic(value, err)) return ParseResult.Error;
                        i++;
                        continue;
                    case "-u":
                    case "--username":
                        if (value == null) return Fail(err, "Error: -u argument given but no username specified.\n\n");
                        Username = value;
                        i++;
                        continue;
                    case "-V":
                    case "--protocol-version":
                        if (value == null) return Fail(err, "Error: --protocol-version argument given but no version specified.\n\n");
                        if (value == "mqttv31" || value == "31") ProtocolLevel = Device.Protocol.ProtocolLevel.V31;
                        else if (value == "mqttv311" || value == "311") ProtocolLevel = Device.Protocol.ProtocolLevel.V311;
                        else if (value == "mqttv5" || value == "5") return Fail(err, "Error: MQTT v5 is not supported, use mqttv311 or mqttv31.\n\n");
                        else return Fail(err, "Error: Invalid protocol version argument given.\n\n");
                        i++;
                        continue;
                    case "-v":
                    case "--verbose":
                        if (IsPub) break;
                        Verbose = true;
                        continue;
                    case "-W":
                        if (IsPub) break;
                        if (value == null) return Fail(err, "Error: -W argument given but no timeout specified.\n\n");
                        TimeoutSeconds = Atoi(value);
                        if (TimeoutSeconds < 1) return Fail(err, "Error: Invalid timeout \"" + TimeoutSeconds + "\".\n\n");
                        i++;
                        continue;
                    case "--will-payload":
                        if (value == null) return Fail(err, "Error: --will-payload argument given but no will payload specified.\n\n");
                        WillPayload = Encoding.UTF8.GetBytes(value);
                        i++;
                        continue;
                    case "--will-qos":
                        if (value == null) return Fail(err, "Error: --will-qos argument given but no will QoS specified.\n\n");
                        WillQos = Atoi(value);
                        WillQosGiven = true;
                        if (WillQos < 0 || WillQos > 2) return Fail(err, "Error: Invalid will QoS " + WillQos + ".\n\n");
                        i++;
                        continue;
                    case "--will-retain":
                        WillRetain = true;
                        continue;
                    case "--will-topic":
                        if (value == null) return Fail(err, "Error: --will-topic argument given but no will topic specified.\n\n");
                        if (!ValidName(value)) return Fail(err, "Error: Invalid will topic '" + value + "', does it contain '+' or '#'?\n");
                        WillTopic = value;
                        i++;
                        continue;
                }

                return Fail(err, "Error: Unknown option '" + arg + "'.\n");
            }

            return ParseResult.Ok;
        }

        /// <summary>The checks Mosquitto makes once every option is read (client_config_load), in its order.</summary>
        private ParseResult CheckCombination(TextWriter err)
        {
            if (WillPayload != null && WillTopic == null) return Fail(err, "Error: Will payload given, but no will topic given.\n");
            if (WillRetain && WillTopic == null) return Fail(err, "Error: Will retain given, but no will topic given.\n");
            // Mosquitto lets a lone --will-qos pass silently; it would be ignored, so it is refused like its siblings.
            if (WillQosGiven && WillTopic == null) return Fail(err, "Error: Will QoS given, but no will topic given.\n");
            // 3.1.1 lets only a clean session go without a client id ([MQTT-3.1.3-7]); a prefix makes a new id each run.
            if (!CleanSession && (IdPrefix != null || Id == null)) return Fail(err, "Error: You must provide a client id if you are using the -c option.\n");
            if (!IsPub && Topics.Count == 0) return Fail(err, "Error: You must specify a topic to subscribe to.\n");
            return ParseResult.Ok;
        }

        /// <summary>
        /// The checks libmosquitto makes when the client is set up (mosquitto_new, mosquitto_username_pw_set): a
        /// password needs a user name in 3.1 and 3.1.1, and an id, when given, must not be empty.
        /// </summary>
        public bool CheckClientSetup(TextWriter err)
        {
            if (Id != null && Id.Length == 0)
            {
                Say(err, IsPub ? "Error: Invalid id.\n" : "Error: Invalid id and/or clean_session.\n");
                return false;
            }

            if (Password != null && Username == null)
            {
                Say(err, "Error: Problem setting username and/or password.\n");
                return false;
            }

            return true;
        }

        /// <summary>
        /// The CONNECT these options ask for. Without -i or -I a 3.1.1 client sends an empty id and lets the broker
        /// assign one, as mosquitto_pub does; 3.1 has no such thing, so a random "mosq-" id of 23 characters is made.
        /// </summary>
        public ConnectOptions ToConnectOptions()
        {
            string id = Id;
            if (IdPrefix != null)
            {
                id = IdPrefix + Environment.ProcessId;
            }
            else if (id == null)
            {
                id = ProtocolLevel == Device.Protocol.ProtocolLevel.V31 ? RandomId() : "";
            }

            return new ConnectOptions
            {
                ProtocolLevel = ProtocolLevel,
                ClientId = id,
                CleanSession = CleanSession,
                KeepAliveSeconds = (ushort)KeepAlive,
                WillTopic = WillTopic,
                WillPayload = WillPayload,
                WillQos = (byte)WillQos,
                WillRetain = WillRetain,
                Username = Username,
                Password = Password == null ? null : Encoding.UTF8.GetBytes(Password),
            };
        }

        /// <summary>Error text that --quiet silences (Mosquitto's err_printf); usage errors are always printed.</summary>
        public void Say(TextWriter err, string text)
        {
            if (!Quiet)
            {
                err.Write(text);
            }
        }

        private static string RandomId()
        {
            const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
            var r = new Random();
            char[] c = new char[18];
            for (int i = 0; i < c.Length; i++)
            {
                c[i] = alphabet[r.Next(alphabet.Length)];
            }

            return "mosq-" + new string(c);
        }

        private bool AddTopic(string topic, TextWriter err)
        {
            if (IsPub)
            {
                if (!ValidName(topic))
                {
                    Fail(err, "Error: Invalid publish topic '" + topic + "', does it contain '+' or '#'?\n");
                    return false;
                }

                Topic = topic;
                return true;
            }

            byte[] b = Encoding.UTF8.GetBytes(topic);
            if (Device.Protocol.Topic.ValidateFilter(b, 0, b.Length) != DecodeResult.Ok)
            {
                Fail(err, "Error: Invalid subscription topic '" + topic + "', are all '+' and '#' wildcards correct?\n");
                return false;
            }

            Topics.Add(topic);
            return true;
        }

        private static bool ValidName(string topic)
        {
            byte[] b = Encoding.UTF8.GetBytes(topic);
            return b.Length <= 65535 && Device.Protocol.Topic.ValidateName(b, 0, b.Length) == DecodeResult.Ok;
        }

        private static ParseResult Fail(TextWriter err, string message)
        {
            err.Write(message);
            return ParseResult.Error;
        }

        /// <summary>C's atoi: optional sign and leading digits, anything else ends the number; no digits is 0.</summary>
        public static int Atoi(string s)
        {
            int i = 0;
            while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
            bool negative = false;
            if (i < s.Length && (s[i] == '+' || s[i] == '-'))
            {
                negative = s[i] == '-';
                i++;
            }

            long v = 0;
            while (i < s.Length && s[i] >= '0' && s[i] <= '9' && v < int.MaxValue)
            {
                v = v * 10 + (s[i] - '0');
                i++;
            }

            v = negative ? -v : v;
            return (int)Math.Max(int.MinValue, Math.Min(int.MaxValue, v));
        }
    }
}
