using Device.Broker;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class UsersTests
    {
        [TestMethod]
        [DataRow("secret", "secret", true)]
        [DataRow("secret", "secreT", false)]
        [DataRow("secret", "Secret", false)]
        [DataRow("secret", "secre", false)]
        [DataRow("secret", "secrets", false)]
        [DataRow("secret", "", false)]
        [DataRow("", "", true)]
        [DataRow("", "x", false)]
        [DataRow("ab", "abab", false)]
        public void Constant_time_compare_is_plain_equality(string expected, string given, bool equal)
        {
            byte[] e = TestPackets.Bytes(expected);
            byte[] g = TestPackets.Bytes(given);
            Assert.AreEqual(equal, ConstantTime.Equals(e, 0, e.Length, g, 0, g.Length));
        }

        [TestMethod]
        public void Check_tells_unknown_user_from_wrong_password()
        {
            Users users = new Users(4, 128);
            Assert.IsTrue(users.Add("ann", "pw1"));
            Assert.IsTrue(users.Add("bob", "pw2"));
            byte[] ann = TestPackets.Bytes("ann");
            byte[] pw1 = TestPackets.Bytes("pw1");
            byte[] pw2 = TestPackets.Bytes("pw2");
            byte[] eve = TestPackets.Bytes("eve");
            Assert.AreEqual(AuthResult.Accepted, users.Check(ann, 0, 3, true, pw1, 0, 3));
            Assert.AreEqual(AuthResult.WrongPassword, users.Check(ann, 0, 3, true, pw2, 0, 3));
            Assert.AreEqual(AuthResult.WrongPassword, users.Check(ann, 0, 3, false, pw1, 0, 3), "a missing password never matches");
            Assert.AreEqual(AuthResult.UnknownUser, users.Check(eve, 0, 3, true, pw1, 0, 3));
        }

        [TestMethod]
        public void Adding_a_user_again_changes_the_password_and_a_full_table_refuses()
        {
            Users users = new Users(2, 64);
            Assert.IsTrue(users.Add("ann", "old"));
            Assert.IsTrue(users.Add("ann", "new"));
            Assert.AreEqual(1, users.Count);
            byte[] ann = TestPackets.Bytes("ann");
            byte[] pw = TestPackets.Bytes("new");
            Assert.AreEqual(AuthResult.Accepted, users.Check(ann, 0, 3, true, pw, 0, 3));
            Assert.IsTrue(users.Add("bob", "x"));
            Assert.IsFalse(users.Add("cid", "y"));
            Assert.AreEqual(2, users.Count);
        }
    }
}
