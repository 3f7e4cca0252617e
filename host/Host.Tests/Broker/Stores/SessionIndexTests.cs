using System;
using System.Collections.Generic;
using System.Text;
using Device.Broker;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// Stores/SessionTable.cs's client-id index at the PC's scale (issue 10): 10,000 sessions whose ids share one hash,
    /// and random churn checked against a dictionary. The device-style SessionTableTests cover the same rules small.
    /// </summary>
    public class SessionIndexTests
    {
        /// <summary>14 blocks of "Aa" or "BB" (bit i of k): 16,384 ids of 28 bytes, every one with the same hash.</summary>
        private static byte[] Colliding(int k)
        {
            var b = new byte[28];
            for (int i = 0; i < 14; i++)
            {
                bool bb = ((k >> i) & 1) != 0;
                b[2 * i] = (byte)(bb ? 'B' : 'A');
                b[2 * i + 1] = (byte)(bb ? 'B' : 'a');
            }

            return b;
        }

        [Fact]
        public void Ten_thousand_ids_with_one_hash_are_each_found_and_removed()
        {
            const int n = 10000;
            var t = new SessionTable(n, 32, 8);
            var ids = new byte[n][];
            var slot = new int[n];
            int hash = SessionTable.Hash(Colliding(0), 0, 28);
            for (int k = 0; k < n; k++)
            {
                ids[k] = Colliding(k);
                Assert.Equal(hash, SessionTable.Hash(ids[k], 0, 28));
                slot[k] = t.Create(ids[k], 0, 28, k % 2 == 0);
                Assert.True(slot[k] >= 0);
            }

            Assert.Equal(n, t.Indexed);
            for (int k = 0; k < n; k++)
            {
                Assert.Equal(slot[k], t.Find(ids[k], 0, 28));
            }

            Assert.Equal(-1, t.Find(Colliding(n + 1), 0, 28));

            // Remove every third one (from all along the single run), then find all again.
            for (int k = 0; k < n; k += 3)
            {
                t.Destroy(slot[k]);
                slot[k] = -1;
            }

            for (int k = 0; k < n; k++)
            {
                Assert.Equal(slot[k], t.Find(ids[k], 0, 28));
            }

            for (int k = 0; k < n; k++)
            {
                if (slot[k] >= 0)
                {
                    t.Destroy(slot[k]);
                }
            }

            Assert.Equal(0, t.Count);
            Assert.Equal(0, t.PersistentCount);
            Assert.Equal(0, t.Indexed);
        }

        [Fact]
        public void Random_churn_of_ten_thousand_ids_matches_a_dictionary()
        {
            const int sessions = 10000;
            var t = new SessionTable(sessions, 32, 8);
            var live = new Dictionary<string, int>();
            var rng = new Random(10);
            for (int step = 0; step < 100000; step++)
            {
                string id = "client-" + rng.Next(15000);
                byte[] b = Encoding.UTF8.GetBytes(id);
                int found = t.Find(b, 0, b.Length);
                Assert.Equal(live.TryGetValue(id, out int s) ? s : -1, found);
                if (found >= 0 && rng.Next(3) == 0)
                {
                    t.Destroy(found);
                    live.Remove(id);
                }
                else if (found < 0)
                {
                    int c = t.Create(b, 0, b.Length, rng.Next(2) == 0);
                    Assert.Equal(live.Count < sessions, c >= 0);
                    if (c >= 0)
                    {
                        live[id] = c;
                    }
                }
            }

            Assert.Equal(live.Count, t.Count);
            Assert.Equal(live.Count, t.Indexed);
            foreach (KeyValuePair<string, int> e in live)
            {
                byte[] b = Encoding.UTF8.GetBytes(e.Key);
                Assert.Equal(e.Value, t.Find(b, 0, b.Length));
                t.Destroy(e.Value);
            }

            Assert.Equal(0, t.Count);
            Assert.Equal(0, t.Indexed);
        }
    }
}
