using Xunit;
using Xunit.Abstractions;

namespace Host.Tests
{
    /// <summary>
    /// Issue 12: "zero allocation per forwarded message". A local publisher's messages go through our engine (Device
    /// profile), the bridge's local client, the bridge and its remote client to an upstream that takes every byte and
    /// answers each QoS 1/2 handshake (ConflateRig, in memory: the socket is the transport's, measured elsewhere);
    /// nothing is conflated here. Allocations are those of the quieter of two measured halves after a warm-up
    /// (FloodHalves), so a one-off tiering allocation under load does not count and a cost per message still does.
    /// </summary>
    public sealed class BridgeForwardAllocationTests
    {
        private readonly ITestOutputHelper _out;

        public BridgeForwardAllocationTests(ITestOutputHelper output)
        {
            _out = output;
        }

        [Theory]
        [InlineData(0, "other/r0/level")]
        [InlineData(1, "sensors/r0/humidity")]
        [InlineData(2, "q2/r0/count")]
        public void A_forwarded_message_allocates_nothing(byte qos, string topic)
        {
            ConflateRig rig = new ConflateRig();
            rig.UpstreamAccepts();
            rig.Record = false;
            int length = rig.Encode(topic, "21.5", qos, false);
            // The digit after "/r" in each topic: patched in place, so each round is another topic with no string work.
            int digit = 4 + topic.IndexOf("/r", System.StringComparison.Ordinal) + 2;

            const int Rounds = 4000;
            FloodHalves halves = new FloodHalves(1000, 2500);
            for (int i = 0; i < Rounds; i++)
            {
                halves.At(i);
                rig.PublishPatched(digit, (byte)('0' + i % 10), length);
                rig.UpstreamReads();
            }

            long bytes = halves.Quieter();
            _out.WriteLine("QoS " + qos + ": " + bytes + " B over the quieter half; forwarded " + rig.Bridge.Forwarded
                + ", upstream got " + rig.UpstreamCount + ", dropped " + rig.Bridge.Dropped);
            Assert.Equal(Rounds, rig.UpstreamCount);
            Assert.Equal(0, rig.Bridge.Dropped);
            Assert.Equal(0, bytes);
        }
    }
}
