using Device.Broker;
using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    /// <summary>Stores/Subscriptions.cs on its own: the table the router scans, with its limits.</summary>
    [TestClass]
    public class SubscriptionsTests
    {
        private static byte[] _b;

        // The per-session limit of the table the test made last (BrokerOptions.MaxSubscriptionsPerClient, Add's parameter).
        private static int _max;

        private static Subscriptions New(int maxSubscriptions, int filterBytes, int sessions, int maxPerSession)
        {
            _max = maxPerSession;
            return new Subscriptions(maxSubscriptions, filterBytes, sessions);
        }

        private static int Add(Subscriptions t, int s, string filter, byte qos)
        {
            _b = TestPackets.Bytes(filter);
            return (int)t.Add(s, _b, 0, _b.Length, qos, _max);
        }

        private static int Find(Subscriptions t, int s, string filter)
        {
            _b = TestPackets.Bytes(filter);
            return t.Find(s, _b, 0, _b.Length);
        }

        private static bool Remove(Subscriptions t, int s, string filter)
        {
            _b = TestPackets.Bytes(filter);
            return t.Remove(s, _b, 0, _b.Length);
        }

        /// <summary>How many live subscriptions match a topic (what routing visits).</summary>
        private static int Matching(Subscriptions t, string topic)
        {
            byte[] b = TestPackets.Bytes(topic);
            int n = 0;
            for (int k = 0; k < t.Count; k++)
            {
                if (t.Matches(t.At(k), b, 0, b.Length))
                {
                    n++;
                }
            }

            return n;
        }

        [TestMethod]
        public void Same_filter_of_the_same_session_replaces_its_qos()
        {
            // [MQTT-3.8.4-3]: a SUBSCRIBE with a filter identical to an existing one replaces it.
            Subscriptions t = New(8, 128, 4, 4);
            Assert.AreEqual((int)SubscribeResult.Added, Add(t, 0, "a/+", 0));
            Assert.AreEqual((int)SubscribeResult.Replaced, Add(t, 0, "a/+", 2));
            Assert.AreEqual(1, t.Count);
            int i = Find(t, 0, "a/+");
            Assert.AreEqual((byte)2, t.Qos(i));
            Assert.AreEqual(0, t.Session(i));

            // The same filter of another session is its own subscription.
            Assert.AreEqual((int)SubscribeResult.Added, Add(t, 1, "a/+", 1));
            Assert.AreEqual(2, t.Count);
            Assert.AreNotEqual(Find(t, 0, "a/+"), Find(t, 1, "a/+"));
            Assert.AreEqual(2, Matching(t, "a/b"));
        }

        [TestMethod]
        public void Per_session_limit_and_table_limits_refuse_without_touching_the_rest()
        {
            Subscriptions t = New(3, 128, 4, 2);
            Assert.AreEqual((int)SubscribeResult.Added, Add(t, 0, "x", 0));
            Assert.AreEqual((int)SubscribeResult.Added, Add(t, 0, "y", 0));
            Assert.AreEqual((int)SubscribeResult.SessionFull, Add(t, 0, "z", 0));
            // A replacement is not a new subscription: allowed at the limit.
            Assert.AreEqual((int)SubscribeResult.Replaced, Add(t, 0, "y", 1));
            Assert.AreEqual((int)SubscribeResult.Added, Add(t, 1, "x", 0));
            Assert.AreEqual((int)SubscribeResult.TableFull, Add(t, 2, "x", 0), "MaxSubscriptions reached");
            Assert.AreEqual(3, t.Count);

            // Filter bytes run out before slots do.
            Subscriptions small = New(8, 6, 4, 8);
            Assert.AreEqual((int)SubscribeResult.Added, Add(small, 0, "abcd", 0));
            Assert.AreEqual((int)SubscribeResult.TableFull, Add(small, 0, "efg", 0), "SubscriptionBytes reached");
            Assert.AreEqual((int)SubscribeResult.Added, Add(small, 0, "ef", 0));
            Assert.AreEqual(2, small.Count);
        }

        [TestMethod]
        public void Remove_and_RemoveAll_free_slots_and_bytes_for_others()
        {
            Subscriptions t = New(4, 16, 3, 4);
            Add(t, 0, "a/#", 1);
            Add(t, 1, "a/b", 0);
            Add(t, 0, "c", 0);
            Add(t, 0, "a/+", 2);
            Assert.AreEqual(3, Matching(t, "a/b"));

            Assert.IsFalse(Remove(t, 1, "a/#"), "another session's filter is not this session's");
            Assert.IsTrue(Remove(t, 0, "a/#"));
            Assert.IsFalse(Remove(t, 0, "a/#"), "already gone");
            Assert.AreEqual(-1, Find(t, 0, "a/#"));
            Assert.AreEqual(2, Matching(t, "a/b"));

            t.RemoveAll(0);
            Assert.AreEqual(1, t.Count);
            Assert.AreEqual(1, t.Session(t.At(0)), "only session 1's subscription is left");
            Assert.AreEqual(-1, Find(t, 0, "c"));
            Assert.AreEqual(1, Matching(t, "a/b"));

            // Everything session 0 held is free again: four slots' worth of filters fit.
            Assert.AreEqual((int)SubscribeResult.Added, Add(t, 2, "0123", 0));
            Assert.AreEqual((int)SubscribeResult.Added, Add(t, 2, "4567", 0));
            Assert.AreEqual((int)SubscribeResult.Added, Add(t, 2, "89", 0));
            Assert.AreEqual(4, t.Count);
        }

        [TestMethod]
        public void Free_slot_reads_as_no_session()
        {
            Subscriptions t = New(2, 16, 2, 2);
            Assert.AreEqual(-1, t.Session(0));
            Assert.AreEqual(-1, t.Session(1));
            Add(t, 1, "q", 0);
            int i = Find(t, 1, "q");
            Assert.AreEqual(1, t.Session(i));
            Remove(t, 1, "q");
            Assert.AreEqual(-1, t.Session(i));
            Assert.AreEqual(0, t.Count);
        }

        /// <summary>Routing's own scan (Match): the sessions it touches, in order, as "s:qos" separated by spaces.</summary>
        private static string Routed(Subscriptions t, int sessions, string topic)
        {
            byte[] b = TestPackets.Bytes(topic);
            byte[] best = new byte[sessions];
            for (int s = 0; s < sessions; s++)
            {
                best[s] = Subscriptions.NoMatch;
            }

            short[] touched = new short[sessions];
            int n = t.Match(b, 0, b.Length, best, touched);
            string r = "";
            for (int k = 0; k < n; k++)
            {
                r += (k > 0 ? " " : "") + touched[k].ToString() + ":" + best[touched[k]].ToString();
            }

            return r;
        }

        [TestMethod]
        public void Routing_scan_confirms_a_signature_match_byte_by_byte()
        {
            // "room/aaae" and "room/bddc" have the same length and the same signature: only the bytes tell them apart.
            byte[] x = TestPackets.Bytes("room/aaae");
            byte[] y = TestPackets.Bytes("room/bddc");
            Assert.AreEqual(Topic.Signature(x, 0, x.Length), Topic.Signature(y, 0, y.Length), "the pair must collide for this test to mean anything");

            Subscriptions t = New(8, 128, 6, 4);
            Add(t, 0, "room/aaae", 1);
            Add(t, 1, "room/bddc", 2);
            Add(t, 2, "room/+", 0);
            Add(t, 3, "#", 1);
            Add(t, 4, "room/aaaf", 2);
            Add(t, 5, "room/aaae/x", 2);
            Assert.AreEqual("0:1 2:0 3:1", Routed(t, 6, "room/aaae"));
            Assert.AreEqual("1:2 2:0 3:1", Routed(t, 6, "room/bddc"));
            Assert.AreEqual("2:0 3:1", Routed(t, 6, "room/aaag"));
            Assert.AreEqual("3:1 5:2", Routed(t, 6, "room/aaae/x"));
        }

        [TestMethod]
        public void Routing_scan_keeps_the_highest_qos_and_the_dollar_rule()
        {
            Subscriptions t = New(8, 128, 3, 4);
            Add(t, 0, "$SYS/x", 0);
            Add(t, 0, "#", 1);
            Add(t, 1, "+/x", 2);
            Add(t, 0, "a/x", 2);
            Add(t, 2, "a/x", 0);
            // [MQTT-4.7.2-1]: "#" and "+/x" do not match a topic starting with '$'; the exact "$SYS/x" does.
            Assert.AreEqual("0:0", Routed(t, 3, "$SYS/x"));
            // One entry per session at the highest QoS of its matches ([MQTT-3.3.5-1]).
            Assert.AreEqual("0:2 1:2 2:0", Routed(t, 3, "a/x"));
            // A replaced subscription keeps its signature: the exact filter of session 2 now grants 1.
            Add(t, 2, "a/x", 1);
            Assert.AreEqual("0:2 1:2 2:1", Routed(t, 3, "a/x"));
            Remove(t, 0, "a/x");
            Assert.AreEqual("0:1 1:2 2:1", Routed(t, 3, "a/x"));
        }
    }
}
