using System.Collections.Generic;
using System.Text;
using Device.Broker;
using Device.Hardware;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// The board's users and ACL (hardware/SecurityFiles.cs, Settings.cs, compiled here unchanged): settings.json
    /// names a Mosquitto password file and ACL file, the engine's parsers read them into the Device profile's
    /// tables, and a board client is then checked over a real socket as on the PC (issue 9: before this the
    /// board always ran anonymous).
    /// </summary>
    public class SecurityFilesTests
    {
        private const string Acl = "# the board's ACL\nuser alice\ntopic readwrite home/#\n";

        [Fact]
        public void Settings_name_the_files_and_a_password_file_turns_anonymous_off()
        {
            var s = new Settings();
            Assert.True(s.AllowAnonymous);
            Assert.Null(SettingsJson.Parse("{\"passwordFile\": \"I:\\\\passwords\", \"aclFile\": \"I:\\\\acl\"}", s));
            Assert.Equal("I:\\passwords", s.PasswordFile);
            Assert.Equal("I:\\acl", s.AclFile);
            Assert.False(s.AllowAnonymous);

            var open = new Settings();
            Assert.Null(SettingsJson.Parse("{\"allowAnonymous\": true, \"passwordFile\": \"I:\\\\passwords\"}", open));
            Assert.True(open.AllowAnonymous);
            Assert.Contains("\"allowAnonymous\" must be true or false", SettingsJson.Parse("{\"allowAnonymous\": 1}", new Settings()));
            Assert.Contains("\"aclFile\" must be a file path", SettingsJson.Parse("{\"aclFile\": \"\"}", new Settings()));
        }

        [Fact]
        public void The_device_profile_holds_four_hashed_users_and_refuses_a_fifth_by_line()
        {
            var options = BrokerOptions.Device();
            var engine = new BrokerEngine(options);
            var text = new StringBuilder("# four users, mosquitto_passwd format\n");
            for (int i = 0; i < 5; i++)
            {
                text.Append(Name(i)).Append(':').Append(Broker.Host.PasswordHash.Create(Encoding.UTF8.GetBytes("pw" + i), 101)).Append('\n');
            }

            Assert.Equal(1, SecurityFiles.LoadUsers(engine, "I:\\passwords", text.ToString(), options.MaxPasswordIterations));
            Assert.Equal(4, engine.Users.Count);
            for (int i = 0; i < 4; i++)
            {
                Assert.Equal(AuthResult.Accepted, Check(engine, Name(i), "pw" + i));
                Assert.Equal(AuthResult.WrongPassword, Check(engine, Name(i), "pw" + (i + 1)));
            }

            Assert.Equal(AuthResult.UnknownUser, Check(engine, Name(4), "pw4"));
        }

        [Fact]
        public void A_named_file_the_board_cannot_read_lets_nobody_in_and_denies_everything()
        {
            var engine = new BrokerEngine(BrokerOptions.Device());
            Assert.Equal(1, SecurityFiles.LoadUsers(engine, "I:\\passwords", null, 1000));
            Assert.Equal(1, SecurityFiles.LoadAcl(engine, "I:\\acl", null));
            Assert.True(engine.Users.Enabled);
            Assert.True(engine.Acl.Enabled);
            Assert.Equal(0, engine.Acl.Count);
            Assert.Equal(AuthResult.UnknownUser, Check(engine, "alice", "anything"));
        }

        [Fact]
        public void Bad_acl_lines_are_counted_and_the_good_ones_kept()
        {
            var engine = new BrokerEngine(BrokerOptions.Device());
            Assert.Equal(2, SecurityFiles.LoadAcl(engine, "I:\\acl", Acl + "topic read a/#/b\nallow everything\n"));
            Assert.Equal(1, engine.Acl.Count);
        }

        [Theory]
        [InlineData("alice", "secret", "home/door", 0, 0x40)]   // known user, right password, allowed topic: CONNACK 0, PUBACK
        [InlineData("alice", "wrong", "home/door", -1, 0)]     // wrong password: refused (4 or 5: issue 11 settles which), closed
        [InlineData(null, null, "home/door", 5, 0)]            // anonymous on a board with a password file: refused
        [InlineData("alice", "secret", "garage/door", 0, 0)]   // topic the ACL does not allow: denied and counted
        public void A_board_client_is_checked_against_the_files_over_a_socket(string user, string password, string topic, int connack, int reply)
        {
            var settings = new Settings();
            Assert.Null(SettingsJson.Parse("{\"passwordFile\": \"I:\\\\passwords\", \"aclFile\": \"I:\\\\acl\"}", settings));
            BrokerOptions options = LoopBroker.Small(clients: 2, spare: 1);
            SecurityFiles.Configure(settings, options);
            string passwords = "alice:" + Broker.Host.PasswordHash.Create(Encoding.UTF8.GetBytes("secret"), 101) + "\n";
            using var broker = new LoopBroker(options, wrap: e =>
            {
                Assert.Equal(0, SecurityFiles.LoadUsers(e, "I:\\passwords", passwords, options.MaxPasswordIterations));
                Assert.Equal(0, SecurityFiles.LoadAcl(e, "I:\\acl", Acl));
                return e;
            });
            using var client = new RawClient(broker.Port);
            client.Send(0x10, ConnectBody("board-client", user, password));
            byte[] ack = client.ReadPacket();
            Assert.Equal(0x20, ack[0]);
            if (connack < 0)
            {
                Assert.True(ack[3] == 4 || ack[3] == 5, "refused, CONNACK " + ack[3]);
            }
            else
            {
                Assert.Equal(connack, ack[3]);
            }

            if (connack != 0)
            {
                Assert.True(client.ClosedByBroker(RawClient.Patience));
                return;
            }

            client.Publish(topic, Encoding.UTF8.GetBytes("open"), 1, 9);
            if (reply == 0)
            {
                // Denied by the ACL (deny unless allowed): counted, and nothing but an acknowledgement may come back.
                Assert.True(LoopBroker.Eventually(() => broker.Engine.Counters.AclDeniedPublish == 1, RawClient.Patience));
                byte[] p = client.ReadPacket(System.TimeSpan.FromMilliseconds(500));
                Assert.True(p == null || p[0] == 0x40, "only a PUBACK (or nothing) for a denied publish");
            }
            else
            {
                Assert.Equal(reply, client.ReadPacket()[0]);
                Assert.Equal(0, broker.Engine.Counters.AclDeniedPublish);
            }
        }

        private static string Name(int i)
        {
            return ("user-" + i + "-").PadRight(32, (char)('a' + i));
        }

        private static AuthResult Check(BrokerEngine engine, string user, string password)
        {
            byte[] u = Encoding.UTF8.GetBytes(user);
            byte[] p = Encoding.UTF8.GetBytes(password);
            return engine.Users.Check(u, 0, u.Length, true, p, 0, p.Length);
        }

        private static byte[] ConnectBody(string id, string user, string password)
        {
            var b = new List<byte> { 0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 4, 0x02, 0, 60 };
            if (user != null)
            {
                b[7] |= 0x80;
            }

            if (password != null)
            {
                b[7] |= 0x40;
            }

            Field(b, id);
            if (user != null)
            {
                Field(b, user);
            }

            if (password != null)
            {
                Field(b, password);
            }

            return b.ToArray();
        }

        private static void Field(List<byte> b, string s)
        {
            byte[] v = Encoding.UTF8.GetBytes(s);
            b.Add((byte)(v.Length >> 8));
            b.Add((byte)v.Length);
            b.AddRange(v);
        }
    }
}
