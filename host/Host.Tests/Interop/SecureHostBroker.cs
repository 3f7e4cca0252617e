using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System;
using Broker.Host;

namespace Host.Tests
{
    /// <summary>
    /// The broker with users and an ACL: alice and bob have passwords (hashed by our passwd command), nobody
    /// anonymous gets in, and the ACL grants alice her own tree and read access to public/, bob read access to
    /// everything and write access to public/.
    /// </summary>
    public sealed class SecureHostBroker : HostBroker
    {
        public const string AlicePassword = "alice's secret";
        public const string BobPassword = "bob-pw";

        public SecureHostBroker()
            : base("# the tests' broker\nallow_anonymous false\npassword_file passwords\nacl_file acl\n", Prepare)
        {
        }

        private static void Prepare(string folder)
        {
            string passwords = Path.Combine(folder, "passwords");
            PasswdCommand.Run(new[] { "-c", "-b", passwords, "alice", AlicePassword }, TextWriter.Null, TextWriter.Null, null);
            PasswdCommand.Run(new[] { "-b", passwords, "bob", BobPassword }, TextWriter.Null, TextWriter.Null, null);
            File.WriteAllText(Path.Combine(folder, "acl"),
                "user alice\ntopic readwrite alice/#\ntopic read public/#\n\nuser bob\ntopic read #\ntopic write public/#\n");
        }
    }
}
