using System.Globalization;

namespace Broker.Host
{
    /// <summary>
    /// The broker's command line: Mosquitto's flags (-c, -p, -v, -h) plus --bind, and the "passwd" command that
    /// manages a password file like mosquitto_passwd. Flags given here win over the config file.
    /// </summary>
    public sealed class CommandLine
    {
        public const string Usage =
@"Usage: dotnet run --project host/Broker.Host -- [options]
       dotnet run --project host/Broker.Host -- passwd [-c | -D] [-b] FILE USER [PASSWORD]

An MQTT 3.1/3.1.1 broker (the same engine and socket loop as the ESP32 board), on 127.0.0.1:1883 by default.

Options:
  -c, --config FILE   read a mosquitto.conf (Debian's default and its conf.d/ included); every option is
                      supported, accepted with a note, or refused with the reason: see docs/MOSQUITTO.md
                      (ours besides: stall_timeout, seconds a subscriber may hold publishers back while taking nothing)
      --profile NAME  host (default) or device: run the exact limits the ESP32 board runs (10 clients, its
                      message pool, queues and 1 KB buffers), to see how the board behaves before flashing it;
                      the config file's limits still apply on top
  -p, --port PORT     listen on PORT (overrides the config file; 0 picks a free port and logs it)
      --bind ADDRESS  listen on this IPv4 address (overrides the config file)
  -v, --verbose       also log every packet received and sent
  -h, --help          show this help

passwd adds or changes USER in the Mosquitto-format password file FILE (PBKDF2-SHA512 hashes, readable by
mosquitto 2.0 too), asking for the password twice unless -b gives it on the command line:
  -b                  batch mode: the password is the last argument
  -c                  create FILE anew, replacing any existing file
  -D                  delete USER from FILE

Ctrl+C stops the broker cleanly; SIGHUP reloads the password and ACL files.";

        public bool Help;
        public bool Passwd;
        public string[] PasswdArgs;
        public string ConfigPath;
        public int? Port;
        public string Bind;
        public bool Verbose;

        /// <summary>"host" or "device" (BrokerOptions.Host() or BrokerOptions.Device()).</summary>
        public string Profile;

        /// <summary>Null when the arguments make sense; otherwise what is wrong with them.</summary>
        public string Error;

        public static CommandLine Parse(string[] args)
        {
            CommandLine c = new CommandLine();
            if (args.Length > 0 && args[0] == "passwd")
            {
                c.Passwd = true;
                c.PasswdArgs = args[1..];
                return c;
            }

            for (int i = 0; i < args.Length && c.Error == null; i++)
            {
                string arg = args[i];
                switch (arg)
                {
                    case "-h":
                    case "--help":
                        c.Help = true;
                        break;
                    case "-v":
                    case "--verbose":
                        c.Verbose = true;
                        break;
                    case "-c":
                    case "--config":
                        c.ConfigPath = Value(args, ref i, c);
                        break;
                    case "--profile":
                        string profile = Value(args, ref i, c);
                        if (profile == "host" || profile == "device")
                        {
                            c.Profile = profile;
                        }
                        else if (profile != null)
                        {
                            c.Error = "--profile takes host or device, got '" + profile + "'";
                        }

                        break;
                    case "--bind":
                        string bind = Value(args, ref i, c);
                        if (bind != null)
                        {
                            c.Error = ConfigFile.Address(bind, a => c.Bind = a);
                        }

                        break;
                    case "-p":
                    case "--port":
                        string port = Value(args, ref i, c);
                        if (port != null)
                        {
                            if (int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p <= 65535)
                            {
                                c.Port = p;
                            }
                            else
                            {
                                c.Error = "'" + port + "' is not a port number (0-65535)";
                            }
                        }

                        break;
                    default:
                        c.Error = "unknown option '" + arg + "'";
                        break;
                }
            }

            return c;
        }

        private static string Value(string[] args, ref int i, CommandLine c)
        {
            if (i + 1 < args.Length)
            {
                i++;
                return args[i];
            }

            c.Error = args[i] + " needs a value";
            return null;
        }
    }
}
