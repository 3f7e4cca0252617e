using System.IO;
using System;
using Broker.Host;

namespace Fuzz.Process
{
    /// <summary>
    /// One way of starting the host program for a fuzz round: quiet or verbose (-v logs every packet, which runs the
    /// log tap's decoders on every input), open (anonymous) or secure (password file, ACL). Every setup caps the
    /// keep-alive (max_keepalive) so a session the fuzzer leaves open must be closed by the broker within the run.
    /// </summary>
    public sealed class FuzzSetup
    {
        public const int MaxKeepAlive = 10;

        public FuzzSetup(bool verbose, bool secure)
        {
            Verbose = verbose;
            Secure = secure;
        }

        public bool Verbose { get; }

        public bool Secure { get; }

        public string Name { get { return (Verbose ? "verbose" : "quiet") + "+" + (Secure ? "users+acl" : "anonymous"); } }

        public static readonly FuzzSetup[] All =
        {
            new FuzzSetup(false, false), new FuzzSetup(true, false), new FuzzSetup(false, true), new FuzzSetup(true, true),
        };

        /// <summary>Writes the config (and its password and ACL files) into <paramref name="dir"/>; returns the arguments for the program.</summary>
        public string[] Write(string dir)
        {
            string conf = "# process fuzzer: " + Name + "\nmax_keepalive " + MaxKeepAlive + "\nmax_connections 200\n";
            if (Secure)
            {
                conf += "allow_anonymous false\npassword_file passwords\nacl_file acl\n";
                File.WriteAllText(Path.Combine(dir, "passwords"), SessionCapture.User + ":"
                    + PasswordHash.Create(System.Text.Encoding.UTF8.GetBytes(SessionCapture.Password), 101) + "\n");
                File.WriteAllText(Path.Combine(dir, "acl"), "topic read fuzz/#\n\nuser " + SessionCapture.User
                    + "\ntopic readwrite fuzz/#\ntopic deny fuzz/secret/#\ntopic readwrite health/#\ntopic read $SYS/#\n"
                    + "pattern readwrite clients/%c/%u/#\npattern write fuzz/%c\n");
            }
            string path = Path.Combine(dir, "broker.conf");
            File.WriteAllText(path, conf);
            return Verbose ? new[] { "-c", path, "-v" } : new[] { "-c", path };
        }
    }
}
