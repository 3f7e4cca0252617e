using Device.Broker;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    /// <summary>Stores/SessionTable.cs on its own: who each session belongs to, and its limits.</summary>
    [TestClass]
    public class SessionTableTests
    {
        private static int Create(SessionTable t, string id, bool persistent)
        {
            byte[] b = TestPackets.Bytes(id);
            return t.Create(b, 0, b.Length, persistent);
        }

        private static int Find(SessionTable t, string id)
        {
            byte[] b = TestPackets.Bytes(id);
            return t.Find(b, 0, b.Length);
        }

        [TestMethod]
        public void Created_sessions_are_found_by_exact_client_id()
        {
            SessionTable t = new SessionTable(4, 8, 8);
            int a = Create(t, "alpha", false);
            int b = Create(t, "alp", true);
            Assert.AreNotEqual(a, b);
            Assert.AreEqual(a, Find(t, "alpha"));
            Assert.AreEqual(b, Find(t, "alp"));
            Assert.AreEqual(-1, Find(t, "alph"), "a prefix is another id");
            Assert.AreEqual(-1, Find(t, "ALPHA"), "ids are compared byte for byte");
            Assert.AreEqual(2, t.Count);
            Assert.AreEqual(1, t.PersistentCount);
            Assert.IsTrue(t.IsPersistent(b));
            Assert.IsFalse(t.IsPersistent(a));
            Assert.AreEqual(5, t.IdLength(a));
            Assert.AreEqual("alpha", Device.Protocol.Utf8.Decode(t.Ids, t.IdOffset(a), t.IdLength(a)));
            Assert.AreEqual(-1, t.Connection(a), "a new session is offline until a connection takes it");
        }

        [TestMethod]
        public void Table_full_or_id_too_long_is_refused()
        {
            SessionTable t = new SessionTable(2, 4, 4);
            Assert.AreEqual(-1, Create(t, "toolong", false), "longer than MaxClientIdLength");
            Assert.AreEqual(0, t.Count);
            Assert.IsTrue(Create(t, "a", false) >= 0);
            Assert.IsTrue(Create(t, "abcd", false) >= 0, "exactly MaxClientIdLength fits");
            Assert.AreEqual(-1, Create(t, "c", false), "no slot left");
            Assert.AreEqual(t.Capacity, t.Count);
        }

        [TestMethod]
        public void Destroyed_session_frees_its_slot_and_its_persistent_count()
        {
            SessionTable t = new SessionTable(2, 8, 8);
            int p = Create(t, "p", true);
            int q = Create(t, "q", false);
            t.SetConnection(p, 3);
            Assert.AreEqual(3, t.Connection(p));
            t.Destroy(p);
            Assert.IsFalse(t.InUse(p));
            Assert.AreEqual(1, t.Count);
            Assert.AreEqual(0, t.PersistentCount);
            Assert.AreEqual(-1, Find(t, "p"));
            Assert.AreEqual(q, Find(t, "q"));

            int r = Create(t, "r", false);
            Assert.AreEqual(p, r, "the freed slot is reused");
            Assert.IsFalse(t.IsPersistent(r), "nothing of the old session is inherited");
            Assert.AreEqual(-1, t.Connection(r));
        }

        [TestMethod]
        public void User_name_is_kept_per_session_within_its_limit()
        {
            SessionTable t = new SessionTable(2, 8, 5);
            int s = Create(t, "c", false);
            Assert.IsFalse(t.HasUser(s), "no user name until one is set");
            Assert.AreEqual(0, t.UserLength(s));

            byte[] name = TestPackets.Bytes("xbobx");
            Assert.IsTrue(t.SetUser(s, name, 1, 3));
            Assert.IsTrue(t.HasUser(s));
            Assert.AreEqual("bob", Device.Protocol.Utf8.Decode(t.Users, t.UserOffset(s), t.UserLength(s)));

            // A zero-length user name is still a user name (the user name flag was set), unlike none at all.
            Assert.IsTrue(t.SetUser(s, name, 0, 0));
            Assert.IsTrue(t.HasUser(s));
            Assert.AreEqual(0, t.UserLength(s));

            byte[] longName = TestPackets.Bytes("abcdef");
            Assert.IsFalse(t.SetUser(s, longName, 0, longName.Length), "longer than MaxUsernameLength");
            t.ClearUser(s);
            Assert.IsFalse(t.HasUser(s));
        }
    }
}
