using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Broker.Host;
using Xunit;

namespace Host.Tests
{
    public class PasswordFileTests
    {
        private static readonly byte[] Right = Encoding.UTF8.GetBytes("correct horse");
        private static readonly byte[] Wrong = Encoding.UTF8.GetBytes("correct horsf");

        // Made with Python's hashlib (an implementation independent of ours): salt "0123456789ab", password "correct horse".
        private const string Sha512Line = "alice:$6$MDEyMzQ1Njc4OWFi$vMblpzgCS5oj2lUbBcEO+PGDOv2Ychcm2aCJlOM/97en/aLeFXM5JAedC3UgjydjvghOxFalEDxmI0OHi3Vlsg==";
        private const string Pbkdf2Line = "bob:$7$101$MDEyMzQ1Njc4OWFi$bGJdXfn6P9jmSY0ZCpIaCSkQ1XayfQBMBwplxxuT8e+N6cR6JaUl22kyOezT4vgFZzRNUODVbwJMCRIfFS1o8A==";

        private static PasswordFile Parse(params string[] lines)
        {
            PasswordFile file = PasswordFile.Parse("pw", lines, out List<FileError> errors);
            Assert.Empty(errors);
            return file;
        }

        [Fact]
        public void Salted_sha512_and_pbkdf2_entries_verify_the_right_password_only()
        {
            PasswordFile file = Parse("# users", Sha512Line, "", Pbkdf2Line);

            Assert.True(file.Verify("alice", Right));
            Assert.True(file.Verify("bob", Right));
            Assert.False(file.Verify("alice", Wrong));
            Assert.False(file.Verify("bob", Wrong));
            Assert.False(file.Verify("carol", Right));
            Assert.False(file.Verify("alice", new byte[0]));
        }

        [Theory]
        [InlineData("alice:secret", "the password is not hashed")]
        [InlineData("alice", "expected user:hash")]
        [InlineData(":$7$101$MDEyMzQ1Njc4OWFi$AAAA", "the user name is empty")]
        [InlineData("alice:$5$abc$def", "unknown hash format '$5$'")]
        [InlineData("alice:$7$x$MDEyMzQ1Njc4OWFi$AAAA", "'x' is not an iteration count")]
        [InlineData("alice:$7$101$!!!$AAAA", "the salt is not base64 of 12 or 64 bytes")]
        [InlineData("alice:$6$MDEyMzQ1Njc4OWFi$AAAA", "the hash is not base64 of 64 bytes")]
        public void A_bad_line_is_reported_with_its_number_and_reason(string line, string reason)
        {
            PasswordFile.Parse("pw", new[] { Pbkdf2Line, line }, out List<FileError> errors);

            FileError e = Assert.Single(errors);
            Assert.Equal(2, e.Line);
            Assert.StartsWith(reason, e.Reason);
        }

        [Fact]
        public void Lines_mosquitto_skips_are_skipped_with_a_warning_and_the_valid_users_still_work()
        {
            using TempDir dir = new TempDir();
            string path = dir.Write("pw", string.Join("\n", "nohash", "alice:plain", ":" + Pbkdf2Line.Substring(4),
                "carol:$5$abc$def", "dave:$7$101$!!!$AAAA", Pbkdf2Line) + "\n");

            PasswordFile file = PasswordFile.Load(path);

            Assert.Equal(new[] { 1, 2, 3, 4, 5 }, file.Skipped.Select(e => e.Line));
            Assert.All(file.Skipped, e => Assert.StartsWith(path + ":", e.ToString()));
            Assert.Equal(new[] { "bob" }, file.Users);
            Assert.True(file.Verify("bob", Right));
        }

        [Fact]
        public void Only_a_password_file_that_cannot_be_read_stops_the_broker()
        {
            using TempDir dir = new TempDir();
            FileErrorsException e = Assert.Throws<FileErrorsException>(() => PasswordFile.Load(Path.Combine(dir.Path, "absent")));
            Assert.Contains("cannot read password file", Assert.Single(e.Errors).Reason);
        }

        [Fact]
        public void A_user_listed_twice_is_an_error()
        {
            PasswordFile.Parse("pw", new[] { Pbkdf2Line, Pbkdf2Line }, out List<FileError> errors);
            Assert.Equal("user 'bob' appears twice (first on line 1)", Assert.Single(errors).Reason);
        }

        [Fact]
        public void Passwd_stores_a_hash_that_verifies_and_never_the_password()
        {
            using TempDir dir = new TempDir();
            string path = Path.Combine(dir.Path, "passwords");

            Assert.Equal(0, Passwd("-b", path, "alice", "correct horse"));
            Assert.Equal(0, Passwd("-b", path, "bob", "other"));

            string text = File.ReadAllText(path);
            Assert.DoesNotContain("correct horse", text);
            Assert.Matches(@"^alice:\$7\$1000\$[A-Za-z0-9+/=]{16}\$[A-Za-z0-9+/=]{88}\nbob:\$7\$", text);
            PasswordFile file = PasswordFile.Load(path);
            Assert.True(file.Verify("alice", Right));
            Assert.False(file.Verify("alice", Wrong));
            if (!System.OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }
        }

        [Fact]
        public void Passwd_changes_and_deletes_users_and_keeps_the_other_lines()
        {
            using TempDir dir = new TempDir();
            string path = dir.Write("passwords", "# managed by hand\n" + Sha512Line + "\n" + Pbkdf2Line + "\n");

            Assert.Equal(0, Passwd("-b", path, "alice", "new one"));
            Assert.Equal(0, Passwd("-D", path, "bob"));

            string[] lines = File.ReadAllLines(path);
            Assert.Equal(2, lines.Length);
            Assert.Equal("# managed by hand", lines[0]);
            PasswordFile file = PasswordFile.Load(path);
            Assert.True(file.Verify("alice", Encoding.UTF8.GetBytes("new one")));
            Assert.False(file.Verify("alice", Right));
            Assert.Equal(new[] { "alice" }, file.Users);
        }

        [Theory]
        [InlineData(new[] { "-b", "f", "al:ice", "pw" }, "a user name must not contain ':'")]
        [InlineData(new[] { "-b", "f", "alice" }, "passwd -b needs FILE USER PASSWORD")]
        [InlineData(new[] { "-c", "-D", "f", "alice" }, "-c and -D cannot be used together")]
        [InlineData(new[] { "-x", "f", "alice" }, "unknown passwd option '-x'")]
        public void Passwd_refuses_what_mosquitto_passwd_refuses(string[] args, string message)
        {
            StringWriter error = new StringWriter();
            Assert.Equal(1, PasswdCommand.Run(args, new StringWriter(), error, _ => "unused"));
            Assert.Contains("Error: " + message, error.ToString());
        }

        [Fact]
        public void Passwd_asks_twice_and_refuses_a_mismatch()
        {
            using TempDir dir = new TempDir();
            string path = Path.Combine(dir.Path, "passwords");
            Queue<string> typed = new Queue<string>(new[] { "one", "two", "same", "same" });
            StringWriter error = new StringWriter();

            Assert.Equal(1, PasswdCommand.Run(new[] { path, "alice" }, new StringWriter(), error, _ => typed.Dequeue()));
            Assert.Contains("Passwords do not match", error.ToString());
            Assert.False(File.Exists(path));

            Assert.Equal(0, PasswdCommand.Run(new[] { path, "alice" }, new StringWriter(), error, _ => typed.Dequeue()));
            Assert.True(PasswordFile.Load(path).Verify("alice", Encoding.UTF8.GetBytes("same")));
        }

        [Fact]
        public void The_program_runs_passwd()
        {
            using TempDir dir = new TempDir();
            string path = Path.Combine(dir.Path, "passwords");
            StringWriter output = new StringWriter();

            int code = Program.Run(new[] { "passwd", "-b", path, "alice", "correct horse" }, output, new StringWriter(), CancellationToken.None, null);

            Assert.Equal(0, code);
            Assert.Contains("Stored a hashed password for user 'alice'", output.ToString());
            Assert.True(PasswordFile.Load(path).Verify("alice", Right));
        }

        [SkippableFact]
        public void A_file_made_by_debians_mosquitto_passwd_is_accepted()
        {
            string mosquittoPasswd = Peers.Require("mosquitto_passwd");
            using TempDir dir = new TempDir();
            string path = Path.Combine(dir.Path, "passwords");
            RunTool(mosquittoPasswd, "-c", "-b", path, "alice", "correct horse");
            RunTool(mosquittoPasswd, "-b", path, "bob", "other");

            PasswordFile file = PasswordFile.Load(path);

            Assert.True(file.Verify("alice", Right));
            Assert.True(file.Verify("bob", Encoding.UTF8.GetBytes("other")));
            Assert.False(file.Verify("bob", Right));

            // And back: our passwd adds a user to mosquitto's file without disturbing its entries.
            Assert.Equal(0, Passwd("-b", path, "carol", "third"));
            file = PasswordFile.Load(path);
            Assert.True(file.Verify("alice", Right));
            Assert.True(file.Verify("carol", Encoding.UTF8.GetBytes("third")));
        }

        private static int Passwd(params string[] args)
        {
            return PasswdCommand.Run(args, new StringWriter(), new StringWriter(), _ => null);
        }

        internal static void RunTool(string program, params string[] args)
        {
            ProcessStartInfo psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in args)
            {
                psi.ArgumentList.Add(a);
            }

            using Process p = Process.Start(psi);
            string err = p.StandardError.ReadToEnd();
            Assert.True(p.WaitForExit(30000), program + " did not finish");
            Assert.True(p.ExitCode == 0, program + " failed: " + err);
        }
    }
}
