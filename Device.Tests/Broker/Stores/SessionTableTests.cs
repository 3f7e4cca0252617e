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

        /// <summary>An id of n two-byte blocks, block i "Aa" or "BB" as bit i of k says: all 2^n of them hash alike.</summary>
        private static byte[] Colliding(int k, int n)
        {
            byte[] b = new byte[2 * n];
            for (int i = 0; i < n; i++)
            {
                bool bb = ((k >> i) & 1) != 0;
                b[2 * i] = (byte)(bb ? 'B' : 'A');
                b[2 * i + 1] = (byte)(bb ? 'B' : 'a');
            }

            return b;
        }

        [TestMethod]
        public void Index_finds_every_session_across_create_and_destroy_churn()
        {
            // 40 sessions: above ScanMax, so Find goes through the client-id index.
            SessionTable t = new SessionTable(40, 12, 8);
            Assert.IsTrue(t.Capacity > SessionTable.ScanMax);
            int[] slot = new int[120];
            for (int i = 0; i < slot.Length; i++)
            {
                slot[i] = -1;
            }

            // Ids 0..39, then in three rounds destroy every other live one and create the next ids in their place.
            for (int i = 0; i < 40; i++)
            {
                slot[i] = Create(t, "id-" + i.ToString(), i % 3 == 0);
                Assert.IsTrue(slot[i] >= 0);
            }

            int next = 40;
            for (int round = 0; round < 3; round++)
            {
                int destroyed = 0;
                for (int i = round; i < next; i += 2)
                {
                    if (slot[i] >= 0)
                    {
                        t.Destroy(slot[i]);
                        slot[i] = -1;
                        destroyed++;
                    }
                }

                for (int k = 0; k < destroyed; k++, next++)
                {
                    slot[next] = Create(t, "id-" + next.ToString(), next % 3 == 0);
                    Assert.IsTrue(slot[next] >= 0, "a destroyed session's slot is free again");
                }

                for (int i = 0; i < next; i++)
                {
                    Assert.AreEqual(slot[i], Find(t, "id-" + i.ToString()), "id-" + i.ToString() + " after round " + round.ToString());
                }
            }

            Assert.AreEqual(40, t.Count);
            Assert.AreEqual(40, t.Indexed);
            for (int i = 0; i < next; i++)
            {
                if (slot[i] >= 0)
                {
                    t.Destroy(slot[i]);
                }
            }

            Assert.AreEqual(0, t.Count);
            Assert.AreEqual(0, t.PersistentCount);
            Assert.AreEqual(0, t.Indexed, "no entry left behind in the index");
            for (int i = 0; i < 40; i++)
            {
                Assert.IsTrue(Create(t, "again-" + i.ToString(), false) >= 0, "every slot is back");
            }
        }

        [TestMethod]
        public void Index_keeps_ids_with_one_hash_apart_through_removals_from_the_middle_of_their_run()
        {
            SessionTable t = new SessionTable(64, 12, 8);
            byte[][] ids = new byte[64][];
            int[] slot = new int[64];
            for (int k = 0; k < 64; k++)
            {
                ids[k] = Colliding(k, 6);
                Assert.AreEqual(SessionTable.Hash(ids[0], 0, 12), SessionTable.Hash(ids[k], 0, 12), "the ids really collide");
                slot[k] = t.Create(ids[k], 0, 12, false);
            }

            // Remove from the front, the middle and the end of the run, checking every id after each removal.
            int[] order = { 0, 31, 63, 1, 32, 62, 17, 2, 45 };
            for (int r = 0; r < order.Length; r++)
            {
                t.Destroy(slot[order[r]]);
                slot[order[r]] = -1;
                for (int k = 0; k < 64; k++)
                {
                    Assert.AreEqual(slot[k], t.Find(ids[k], 0, 12));
                }
            }

            // Taken back: each one is found again, and its slot is one of the freed ones.
            for (int r = 0; r < order.Length; r++)
            {
                slot[order[r]] = t.Create(ids[order[r]], 0, 12, true);
            }

            for (int k = 0; k < 64; k++)
            {
                Assert.AreEqual(slot[k], t.Find(ids[k], 0, 12));
            }

            Assert.AreEqual(64, t.Indexed);
            Assert.AreEqual(-1, Find(t, "AaAaAaAaAaA"), "a prefix of a colliding id is another id");
        }
    }
}
