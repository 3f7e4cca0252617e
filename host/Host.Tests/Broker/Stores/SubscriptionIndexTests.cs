using System;
using System.Collections.Generic;
using System.Reflection;
using System.Text;
using Device.Broker;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// Stores/SubscriptionIndex.cs: a table of Subscriptions.IndexFrom or more routes through the index (the PC's
    /// profile), a smaller one scans (the board's). Both must find the same sessions at the same QoS for every topic,
    /// through random subscribes and unsubscribes of exact and wildcard filters that share signatures and lengths.
    /// </summary>
    public class SubscriptionIndexTests
    {
        private static readonly string[] Filters =
        {
            "a", "b", "a/b", "a/c", "b/a", "cs/1", "cs/2", "cs/10", "cs/01", "a/b/c", "a/+", "+/b", "#", "a/#", "cs/+", "+/+", "+", "$SYS/x", "$SYS/#",
        };

        private static readonly string[] Topics = { "a", "b", "a/b", "a/c", "b/a", "b/b", "cs/1", "cs/2", "cs/10", "cs/01", "cs/3", "a/b/c", "$SYS/x", "x/y/z" };

        private static byte[] B(string s)
        {
            return Encoding.UTF8.GetBytes(s);
        }

        /// <summary>Session to granted QoS for the topic, as Match reports it.</summary>
        private static SortedDictionary<int, byte> Match(Subscriptions t, byte[] best, short[] touched, string topic)
        {
            byte[] b = B(topic);
            int n = t.Match(b, 0, b.Length, best, touched);
            var got = new SortedDictionary<int, byte>();
            for (int k = 0; k < n; k++)
            {
                Assert.False(got.ContainsKey(touched[k]), "session " + touched[k] + " touched twice for " + topic);
                got[touched[k]] = best[touched[k]];
                best[touched[k]] = Subscriptions.NoMatch;
            }

            return got;
        }

        [Fact]
        public void Only_a_table_of_IndexFrom_or_more_is_indexed_and_the_host_profile_is()
        {
            Assert.False(new Subscriptions(Subscriptions.IndexFrom - 1, 4096, 8).Indexed);
            Assert.True(new Subscriptions(Subscriptions.IndexFrom, 4096, 8).Indexed);
            Assert.True(EngineTable(BrokerOptions.Host()).Indexed);
            Assert.False(EngineTable(BrokerOptions.Device()).Indexed);
        }

        private static Subscriptions EngineTable(BrokerOptions o)
        {
            var engine = new BrokerEngine(o);
            FieldInfo f = typeof(BrokerEngine).GetField("_subscriptions", BindingFlags.Instance | BindingFlags.NonPublic);
            return (Subscriptions)f.GetValue(engine);
        }

        [Fact]
        public void Indexed_and_scanned_tables_match_the_same_sessions_through_random_churn()
        {
            const int sessions = 300;
            var indexed = new Subscriptions(Subscriptions.IndexFrom, 64 * 1024, sessions);
            var scanned = new Subscriptions(Subscriptions.IndexFrom - 1, 64 * 1024, sessions);
            Assert.True(indexed.Indexed);
            Assert.False(scanned.Indexed);
            var best = new byte[sessions];
            var touched = new short[sessions];
            for (int i = 0; i < sessions; i++)
            {
                best[i] = Subscriptions.NoMatch;
            }

            var random = new Random(10);
            int checks = 0;
            for (int step = 0; step < 20000; step++)
            {
                int s = random.Next(sessions);
                byte[] f = B(Filters[random.Next(Filters.Length)]);
                int op = random.Next(10);
                if (op < 6)
                {
                    byte qos = (byte)random.Next(3);
                    Assert.Equal(scanned.Add(s, f, 0, f.Length, qos, 3), indexed.Add(s, f, 0, f.Length, qos, 3));
                }
                else if (op < 9)
                {
                    Assert.Equal(scanned.Remove(s, f, 0, f.Length), indexed.Remove(s, f, 0, f.Length));
                }
                else
                {
                    // A session going (a clean disconnect): all of its subscriptions leave both tables.
                    scanned.RemoveAll(s);
                    indexed.RemoveAll(s);
                }

                Assert.Equal(scanned.Count, indexed.Count);
                if (step % 50 == 0)
                {
                    foreach (string topic in Topics)
                    {
                        Assert.Equal(Match(scanned, best, touched, topic), Match(indexed, best, touched, topic));
                        checks++;
                    }
                }
            }

            // 300 sessions of at most 3 fit the scanned table (1,023), so both always agree on TableFull too.
            // The churn really filled the tables, so the chains held many filters of one signature and one length.
            Assert.True(indexed.Count > 500, indexed.Count + " subscriptions at the end");
            Assert.Equal(400 * Topics.Length, checks);
        }

        [Fact]
        public void Ten_thousand_clients_on_topics_of_their_own_each_get_exactly_their_own()
        {
            const int n = 10000;
            var t = new Subscriptions(20000, 20000 * 12, n);
            var best = new byte[n];
            var touched = new short[n];
            for (int i = 0; i < n; i++)
            {
                best[i] = Subscriptions.NoMatch;
                byte[] f = B("cs/" + i);
                Assert.Equal(SubscribeResult.Added, t.Add(i, f, 0, f.Length, (byte)(i % 3), 200));
            }

            for (int i = 0; i < n; i++)
            {
                SortedDictionary<int, byte> got = Match(t, best, touched, "cs/" + i);
                Assert.Single(got);
                Assert.Equal((byte)(i % 3), got[i]);
            }
        }
    }
}
