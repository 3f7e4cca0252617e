using System.Collections;
using Device.Broker;
using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    /// <summary>The board's password-file reader: Mosquitto's own hashes, checked by the board's own SHA-512.</summary>
    [TestClass]
    public class UsersFileTests
    {
        // Written by Debian's mosquitto_passwd 2.0.11: mosquitto_passwd -c -b FILE carol "open sesame".
        private const string Carol = "carol:$7$101$7nBiSvsjKLizkWq4$PmX6yEHA32PnPctlZLazEQIepPGOFswtt19Ijni8GfYjnj5pyIT7/zZ5Fku3EhqEPPQNV7YDM3C0o4ndvp3KQQ==";

        private static AuthResult Check(Users users, string name, string password)
        {
            byte[] n = TestPackets.Bytes(name);
            byte[] p = TestPackets.Bytes(password);
            return users.Check(n, 0, n.Length, true, p, 0, p.Length);
        }

        [TestMethod]
        public void A_mosquitto_passwd_entry_is_verified_by_the_boards_own_pbkdf2()
        {
            Users users = new Users(4, 640);
            ArrayList errors = new ArrayList();
            Assert.IsTrue(UsersFile.Load(users, "# users\n" + Carol + "\n", 1000, errors));
            Assert.AreEqual(1, users.Count);
            Assert.AreEqual(AuthResult.Accepted, Check(users, "carol", "open sesame"));
            Assert.AreEqual(AuthResult.WrongPassword, Check(users, "carol", "open sesam"));
            Assert.AreEqual(AuthResult.UnknownUser, Check(users, "dave", "open sesame"));
        }

        [TestMethod]
        public void Through_the_engine_the_right_password_connects_and_a_wrong_one_gets_connack_4()
        {
            BrokerOptions o = TestOptions.Device();
            o.AllowAnonymous = false;
            FakeNet net = new FakeNet(o);
            Assert.IsTrue(UsersFile.Load(net.Engine.Users, Carol, o.MaxPasswordIterations, null));
            ConnectSpec right = new ConnectSpec("c1");
            right.Username = "carol";
            right.Password = "open sesame";
            net.Connect(right);
            ConnectSpec wrong = new ConnectSpec("c2");
            wrong.Username = "carol";
            wrong.Password = "Open sesame";
            FakeClient c = net.Open();
            c.Send(TestPackets.Connect(wrong));
            Assert.AreEqual(ConnectReturnCode.NotAuthorized, c.ExpectConnack().ReturnCode);
        }

        [TestMethod]
        public void A_file_without_a_valid_user_lets_nobody_in()
        {
            Users users = new Users(4, 640);
            Assert.IsFalse(users.Enabled);
            Assert.IsTrue(UsersFile.Load(users, "# nobody yet\n\n", 1000, null));
            Assert.IsTrue(users.Enabled);
            Assert.AreEqual(AuthResult.UnknownUser, Check(users, "carol", "open sesame"));
        }

        [TestMethod]
        [DataRow("carol", "expected user:hash")]
        [DataRow("carol:open sesame", "the password of 'carol' is not hashed (make the line with mosquitto_passwd or our passwd command)")]
        [DataRow("carol:", "the password of 'carol' is not hashed (make the line with mosquitto_passwd or our passwd command)")]
        [DataRow("carol:$argon2id$v=19$m=1", "unknown hash format '$argon2id$' (expected $7$ PBKDF2-SHA512 or $6$ salted SHA-512)")]
        [DataRow("carol:$7$5000$7nBiSvsjKLizkWq4$PmX6yEHA32PnPctlZLazEQIepPGOFswtt19Ijni8GfYjnj5pyIT7/zZ5Fku3EhqEPPQNV7YDM3C0o4ndvp3KQQ==",
            "'5000' iterations: this broker takes 1..1000 (each costs two SHA-512 blocks per CONNECT; mosquitto_passwd 2.0 writes 101)")]
        [DataRow("carol:$7$101$7nBiSvsjKLizkWq4$PmX6yEHA32Pn", "the hash is not base64 of 64 bytes")]
        [DataRow("carol:$7$101$!!$PmX6yEHA32PnPctlZLazEQIepPGOFswtt19Ijni8GfYjnj5pyIT7/zZ5Fku3EhqEPPQNV7YDM3C0o4ndvp3KQQ==", "the salt is not base64")]
        public void A_bad_line_is_reported_with_its_number_and_reason(string line, string reason)
        {
            ArrayList errors = new ArrayList();
            Assert.IsFalse(UsersFile.Load(new Users(4, 640), "# first\n" + line + "\n", 1000, errors));
            Assert.AreEqual(1, errors.Count);
            Assert.AreEqual(2, ((LineError)errors[0]).Line);
            Assert.AreEqual(reason, ((LineError)errors[0]).Reason);
        }

        [TestMethod]
        public void More_users_than_the_table_holds_are_reported_at_their_line()
        {
            ArrayList errors = new ArrayList();
            string text = Carol + "\n" + "dave" + Carol.Substring(5) + "\n";
            Assert.IsFalse(UsersFile.Load(new Users(1, 640), text, 1000, errors));
            Assert.AreEqual(2, ((LineError)errors[0]).Line);
            Assert.AreEqual("the user does not fit the password table (1 users)", ((LineError)errors[0]).Reason);
        }
    }
}
