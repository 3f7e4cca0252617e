using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class TopicTests
    {
        [TestMethod]
        [DataRow("a")]
        [DataRow("a/b/c")]
        [DataRow("/")]
        [DataRow("/finance")]
        [DataRow("sport/tennis/")]
        [DataRow("$SYS/broker/uptime")]
        [DataRow(" ")]
        [DataRow("a b/c d")]
        public void Topic_names_without_wildcards_are_valid(string topic)
        {
            byte[] b = Bytes.Ascii(topic);
            Assert.AreEqual(DecodeResult.Ok, Topic.ValidateName(b, 0, b.Length));
        }

        [TestMethod]
        [DataRow("+")]
        [DataRow("#")]
        [DataRow("a/+/c")]
        [DataRow("a/#")]
        [DataRow("a+b")]
        [DataRow("sport#")]
        public void Topic_name_with_a_wildcard_is_rejected(string topic)
        {
            byte[] b = Bytes.Ascii(topic);
            Assert.AreEqual(DecodeResult.WildcardInTopicName, Topic.ValidateName(b, 0, b.Length));
        }

        [TestMethod]
        public void Empty_topic_name_and_filter_are_rejected()
        {
            byte[] b = new byte[4];
            Assert.AreEqual(DecodeResult.EmptyTopic, Topic.ValidateName(b, 2, 0));
            Assert.AreEqual(DecodeResult.EmptyTopic, Topic.ValidateFilter(b, 2, 0));
        }

        [TestMethod]
        public void Topic_name_and_filter_must_be_mqtt_utf8()
        {
            byte[] nul = Bytes.Hex("61 2f 00");
            byte[] bad = Bytes.Hex("61 2f c0 80");
            byte[] sur = Bytes.Hex("61 2f eda080");
            Assert.AreEqual(DecodeResult.Utf8NullCharacter, Topic.ValidateName(nul, 0, nul.Length));
            Assert.AreEqual(DecodeResult.InvalidUtf8, Topic.ValidateName(bad, 0, bad.Length));
            Assert.AreEqual(DecodeResult.Utf8Surrogate, Topic.ValidateName(sur, 0, sur.Length));
            Assert.AreEqual(DecodeResult.Utf8NullCharacter, Topic.ValidateFilter(nul, 0, nul.Length));
            Assert.AreEqual(DecodeResult.InvalidUtf8, Topic.ValidateFilter(bad, 0, bad.Length));
            Assert.AreEqual(DecodeResult.Utf8Surrogate, Topic.ValidateFilter(sur, 0, sur.Length));
        }

        [TestMethod]
        [DataRow("#")]
        [DataRow("+")]
        [DataRow("+/+")]
        [DataRow("/+")]
        [DataRow("+/")]
        [DataRow("sport/#")]
        [DataRow("sport/tennis/+")]
        [DataRow("sport/+/player1")]
        [DataRow("+/tennis/#")]
        [DataRow("$SYS/#")]
        [DataRow("a//b")]
        [DataRow("/")]
        public void Well_formed_filters_are_valid(string filter)
        {
            byte[] b = Bytes.Ascii(filter);
            Assert.AreEqual(DecodeResult.Ok, Topic.ValidateFilter(b, 0, b.Length));
        }

        // [MQTT-4.7.1-2] '#' alone in the last level; [MQTT-4.7.1-3] '+' alone in its level.
        [TestMethod]
        [DataRow("sport/tennis#")]
        [DataRow("sport/tennis/#/ranking")]
        [DataRow("#/")]
        [DataRow("##")]
        [DataRow("a/#b")]
        [DataRow("sport+")]
        [DataRow("+sport")]
        [DataRow("a/b+/c")]
        [DataRow("a/+b")]
        [DataRow("++")]
        [DataRow("+#")]
        public void Malformed_filters_are_rejected(string filter)
        {
            byte[] b = Bytes.Ascii(filter);
            Assert.AreEqual(DecodeResult.InvalidTopicFilter, Topic.ValidateFilter(b, 0, b.Length));
        }

        // 3.1.1 section 4.7 examples, plus the edges of empty levels.
        [TestMethod]
        [DataRow("sport/tennis/player1/#", "sport/tennis/player1")]
        [DataRow("sport/tennis/player1/#", "sport/tennis/player1/ranking")]
        [DataRow("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon")]
        [DataRow("sport/#", "sport")]
        [DataRow("#", "sport/tennis")]
        [DataRow("#", "/")]
        [DataRow("sport/tennis/+", "sport/tennis/player1")]
        [DataRow("sport/tennis/+", "sport/tennis/player2")]
        [DataRow("sport/+", "sport/")]
        [DataRow("+/+", "/finance")]
        [DataRow("/+", "/finance")]
        [DataRow("+", "finance")]
        [DataRow("+/tennis/#", "sport/tennis/player1")]
        [DataRow("a/b", "a/b")]
        [DataRow("a/#", "a/")]
        [DataRow("a/+/c", "a//c")]
        [DataRow("+/+/+", "a/b/c")]
        public void Filter_matches_topic(string filter, string topic)
        {
            Assert.IsTrue(Match(filter, topic));
        }

        [TestMethod]
        [DataRow("sport/tennis/+", "sport/tennis/player1/ranking")]
        [DataRow("sport/tennis/+", "sport/tennis")]
        [DataRow("sport/+", "sport")]
        [DataRow("+", "/finance")]
        [DataRow("a/b", "a/b/")]
        [DataRow("a/b/", "a/b")]
        [DataRow("a/b", "a/bc")]
        [DataRow("a/bc", "a/b")]
        [DataRow("a/b", "A/b")]
        [DataRow("a/+", "a")]
        [DataRow("a/+/c", "a/b/d")]
        [DataRow("a/#", "ab")]
        [DataRow("a/b/#", "a")]
        [DataRow("+/+", "a")]
        public void Filter_does_not_match_topic(string filter, string topic)
        {
            Assert.IsFalse(Match(filter, topic));
        }

        // [MQTT-4.7.2-1] a filter starting with a wildcard does not match a topic starting with '$'.
        [TestMethod]
        [DataRow("#", "$SYS/broker/uptime", false)]
        [DataRow("+/broker/uptime", "$SYS/broker/uptime", false)]
        [DataRow("+/monitor/Clients", "$SYS/monitor/Clients", false)]
        [DataRow("+", "$SYS", false)]
        [DataRow("$SYS/#", "$SYS/monitor/Clients", true)]
        [DataRow("$SYS/#", "$SYS", true)]
        [DataRow("$SYS/monitor/+", "$SYS/monitor/Clients", true)]
        [DataRow("$SYS/+/Clients", "$SYS/monitor/Clients", true)]
        [DataRow("$SYS/broker/uptime", "$SYS/broker/uptime", true)]
        [DataRow("$SYS/+", "$OTHER/x", false)]
        [DataRow("a/#", "a/$SYS", true)]
        [DataRow("a/+", "a/$x", true)]
        [DataRow("#", "x$/y", true)]
        public void Dollar_topics_are_not_matched_by_leading_wildcards(string filter, string topic, bool matches)
        {
            Assert.AreEqual(matches, Match(filter, topic));
        }

        [TestMethod]
        public void Matching_works_on_ranges_inside_larger_buffers()
        {
            byte[] f = Bytes.Ascii("##a/+##");
            byte[] t = Bytes.Ascii("$$a/b/c$$");
            Assert.IsFalse(Topic.Matches(f, 2, 3, t, 2, 5));
            Assert.IsTrue(Topic.Matches(f, 2, 3, t, 2, 3));
        }

        [TestMethod]
        [DataRow("a/+")]
        [DataRow("+")]
        [DataRow("#")]
        [DataRow("a/b/#")]
        [DataRow("+/b")]
        public void Signature_of_a_filter_with_wildcards_is_zero(string filter)
        {
            byte[] f = Bytes.Ascii(filter);
            Assert.AreEqual(0, Topic.Signature(f, 0, f.Length));
        }

        [TestMethod]
        public void Signature_of_a_name_is_odd_and_depends_on_the_range_only()
        {
            byte[] a = Bytes.Ascii("home/room1/sensor2");
            byte[] b = Bytes.Ascii("xxhome/room1/sensor2xx");
            int s = Topic.Signature(a, 0, a.Length);
            Assert.AreEqual(1, s & 1);
            Assert.AreEqual(s, Topic.Signature(b, 2, a.Length));
            Assert.AreNotEqual(s, Topic.Signature(Bytes.Ascii("home/room1/sensor1"), 0, a.Length), "the last byte counts");
            Assert.AreNotEqual(s, Topic.Signature(Bytes.Ascii("home/room2/sensor2"), 0, a.Length), "a middle byte counts");
            Assert.AreEqual(1, Topic.Signature(a, 0, 0) & 1);
        }

        private static bool Match(string filter, string topic)
        {
            byte[] f = Bytes.Ascii(filter);
            byte[] t = Bytes.Ascii(topic);
            return Topic.Matches(f, 0, f.Length, t, 0, t.Length);
        }
    }
}
