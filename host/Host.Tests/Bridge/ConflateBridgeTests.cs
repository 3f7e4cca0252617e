using System;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Host.Tests
{
    /// <summary>
    /// `conflate` inside one process (ConflateRig: our engine, a local publisher, the Bridge, the test as the upstream):
    /// what leaves the bridge while the upstream is away or slow, that QoS 1 is never conflated, and that a conflated
    /// message allocates nothing. The same behaviour against a real Debian mosquitto: ConflateMosquittoTests.
    /// </summary>
    public sealed class ConflateBridgeTests
    {
        private readonly ITestOutputHelper _out;

        public ConflateBridgeTests(ITestOutputHelper output)
        {
            _out = output;
        }

        [Fact]
        public void Upstream_away_only_the_newest_reading_per_conflated_topic_goes_out_in_first_held_order()
        {
            ConflateRig rig = new ConflateRig();
            for (int i = 0; i < 100; i++)
            {
                for (int t = 0; t < 5; t++)
                {
                    rig.Publish("sensors/r" + t + "/temp", i.ToString());
                }

                rig.Publish("other/x", i.ToString());
            }

            rig.UpstreamAccepts();
            rig.UpstreamReads();
            _out.WriteLine(rig.Lines.ToString());
            Assert.Equal(5, rig.Upstream.Count);
            for (int t = 0; t < 5; t++)
            {
                Assert.Equal(("gw/sensors/r" + t + "/temp", "99", (byte)0, false), rig.Upstream[t]);
            }

            Assert.Equal(500, rig.Table.Conflated);
            Assert.Equal(495, rig.Table.Superseded);
            Assert.Equal(5, rig.Table.Sent);
            Assert.Equal(100, rig.Table.DroppedAway);
            Assert.Equal(0, rig.Table.DroppedFull);
        }

        [Fact]
        public void Without_the_table_being_needed_every_reading_goes_out_at_once()
        {
            ConflateRig rig = new ConflateRig();
            rig.UpstreamAccepts();
            for (int i = 0; i < 10; i++)
            {
                rig.Publish("sensors/a/temp", i.ToString());
                rig.Publish("other/x", i.ToString());
                rig.UpstreamReads();
            }

            Assert.Equal(20, rig.Upstream.Count);
            Assert.Equal(0, rig.Table.Conflated);
        }

        [Fact]
        public void A_slow_upstream_gets_fewer_readings_and_the_last_one_per_topic_is_the_newest()
        {
            ConflateRig rig = new ConflateRig();
            rig.UpstreamAccepts();
            for (int i = 0; i < 200; i++)
            {
                rig.Publish("sensors/a/temp", i.ToString());
                rig.Publish("sensors/b/temp", i.ToString());
                if (i % 50 == 49)
                {
                    // The upstream reads now and then only: in between, the bridge's transmit buffer is full.
                    rig.UpstreamReads();
                }
            }

            rig.UpstreamReads();
            var a = rig.Upstream.Where(m => m.Topic == "gw/sensors/a/temp").Select(m => int.Parse(m.Payload)).ToList();
            var b = rig.Upstream.Where(m => m.Topic == "gw/sensors/b/temp").Select(m => int.Parse(m.Payload)).ToList();
            _out.WriteLine("published 200 per topic; upstream got " + a.Count + " and " + b.Count + "; replaced " + rig.Table.Superseded);
            Assert.True(a.Count < 200 && b.Count < 200, a.Count + ", " + b.Count);
            Assert.Equal(199, a[a.Count - 1]);
            Assert.Equal(199, b[b.Count - 1]);
            // Per topic the order holds: a held reading never goes out after a newer one.
            Assert.Equal(a.OrderBy(x => x).ToList(), a);
            Assert.Equal(b.OrderBy(x => x).ToList(), b);
            Assert.Equal(rig.Table.Conflated, rig.Table.Superseded + rig.Table.Sent);
        }

        [Fact]
        public void A_qos1_message_while_the_upstream_is_away_is_kept_by_the_session_and_readings_are_still_conflated()
        {
            ConflateRig rig = new ConflateRig();
            rig.Publish("sensors/a/temp", "1");
            rig.Publish("sensors/a/event", "alarm", 1);
            // Parked: the local session is offline so that it stores the QoS 1 messages; the engine offers the QoS 0 it
            // would drop for it to the bridge (IOfflineQos0Sink), which keeps the conflate topics' newest.
            for (int i = 2; i <= 50; i++)
            {
                rig.Publish("sensors/a/temp", i.ToString());
                rig.Publish("sensors/b/temp", i.ToString());
            }

            rig.Publish("sensors/a/event", "second", 1);
            rig.Publish("other/x", "not conflated");
            int conflated = rig.Table.Conflated;
            rig.UpstreamAccepts();
            rig.UpstreamReads();
            _out.WriteLine(string.Join(", ", rig.Upstream.Select(m => m.Topic + "=" + m.Payload)));
            var events = rig.Upstream.Where(m => m.Topic == "gw/sensors/a/event").Select(m => m.Payload).ToArray();
            Assert.Equal(new[] { "alarm", "second" }, events);
            Assert.Equal(new[] { "50" }, rig.Upstream.Where(m => m.Topic == "gw/sensors/a/temp").Select(m => m.Payload).ToArray());
            Assert.Equal(new[] { "50" }, rig.Upstream.Where(m => m.Topic == "gw/sensors/b/temp").Select(m => m.Payload).ToArray());
            // A QoS 0 message on a topic without conflate is dropped while the upstream is away, as without conflate.
            Assert.DoesNotContain(rig.Upstream, m => m.Topic == "gw/other/x");
            Assert.Equal(99, conflated);

            // And conflation goes on once the upstream was back and away again.
            rig.UpstreamLost();
            rig.Publish("sensors/a/temp", "3");
            rig.Publish("sensors/a/temp", "4");
            rig.UpstreamAccepts();
            rig.UpstreamReads();
            Assert.Equal(("gw/sensors/a/temp", "4", (byte)0, false), rig.Upstream[rig.Upstream.Count - 1]);
            Assert.DoesNotContain(("gw/sensors/a/temp", "3", (byte)0, false), rig.Upstream);
        }

        [Fact]
        public void Lazy_start_waiting_messages_ask_for_the_upstream_and_a_non_conflated_one_waits_instead_of_being_dropped()
        {
            ConflateRig rig = new ConflateRig(start: Device.Net.BridgeStart.Lazy);
            Assert.False(rig.Bridge.HasWaiting);
            rig.Publish("sensors/a/temp", "1");
            Assert.True(rig.Bridge.HasWaiting);
            rig.Publish("other/x", "kept");
            rig.UpstreamAccepts();
            rig.UpstreamReads();
            Assert.Equal(new[] { "gw/sensors/a/temp=1", "gw/other/x=kept" }, rig.Upstream.Select(m => m.Topic + "=" + m.Payload));
            Assert.Equal(0, rig.Table.DroppedAway);
        }

        [Fact]
        public void A_retained_reading_keeps_its_retain_flag_through_the_table()
        {
            ConflateRig rig = new ConflateRig();
            rig.Publish("sensors/a/temp", "1", 0, true);
            rig.Publish("sensors/a/temp", "2", 0, true);
            rig.UpstreamAccepts();
            rig.UpstreamReads();
            Assert.Equal(("gw/sensors/a/temp", "2", (byte)0, true), Assert.Single(rig.Upstream));
        }

        [Fact]
        public void A_full_table_drops_new_topics_and_counts_them_in_DroppedFull()
        {
            ConflateRig rig = new ConflateRig(slots: 2);
            rig.Publish("sensors/a/temp", "1");
            rig.Publish("sensors/b/temp", "1");
            rig.Publish("sensors/c/temp", "1");
            rig.Publish("sensors/a/temp", "2");
            rig.UpstreamAccepts();
            rig.UpstreamReads();
            Assert.Equal(new[] { "gw/sensors/a/temp=2", "gw/sensors/b/temp=1" }, rig.Upstream.Select(m => m.Topic + "=" + m.Payload));
            Assert.Equal(1, rig.Table.DroppedFull);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void A_conflated_message_allocates_nothing(bool slowUpstream)
        {
            ConflateRig rig = new ConflateRig();
            if (slowUpstream)
            {
                rig.UpstreamAccepts();
            }

            rig.Record = false;
            int[] lengths = new int[5];
            for (int t = 0; t < 5; t++)
            {
                lengths[t] = rig.Encode("sensors/r" + t + "/temp", "21.5", 0, false);
            }

            const int Rounds = 4000;
            FloodHalves halves = new FloodHalves(1000, 2500);
            for (int i = 0; i < Rounds; i++)
            {
                halves.At(i);
                // Re-encoding is string work: the five messages differ only in one digit of the topic, patched in place.
                int t = i % 5;
                rig.PublishPatched(13, (byte)('0' + t), lengths[t]);
                if (slowUpstream && i % 100 == 99)
                {
                    rig.UpstreamReads();
                }
            }

            long bytes = halves.Quieter();
            _out.WriteLine((slowUpstream ? "slow" : "away") + ": " + bytes + " B over the quieter half; conflated " + rig.Table.Conflated
                + ", replaced " + rig.Table.Superseded + ", sent " + rig.UpstreamCount);
            Assert.True(rig.Table.Superseded > Rounds / 2, "the loop did conflate: " + rig.Table.Superseded);
            Assert.Equal(0, bytes);
        }
    }
}
