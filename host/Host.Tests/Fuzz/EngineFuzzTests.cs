using System;
using Device.Broker;
using Xunit.Abstractions;
using Xunit;

using Fuzz.Shared;

namespace Host.Tests
{
    /// <summary>
    /// Mutational fuzzing of the engine through its transport seam: generated scripts of valid and mutated
    /// packets from several clients, split at random, with stalls, drops and time passing (see EngineScript
    /// for what is checked). One broker serves every script, as a long-running one would, and the whole loop
    /// must allocate nothing once warm.
    /// </summary>
    public class EngineFuzzTests
    {
        public const int Seed = 7_340_033;
        public const int ScriptCount = 25_000;
        private const int WarmUp = 500;

        private readonly ITestOutputHelper _output;

        public EngineFuzzTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public void Scripts_of_valid_and_mutated_packets_never_throw_emit_bad_bytes_strand_a_slot_or_allocate()
        {
            byte[][] seeds = SeedCorpus.Valid(out int harvested);
            var generator = new ScriptGenerator(Seed, seeds, 40);
            var engine = new EngineScript(EngineScript.TightOptions(), false);
            var script = new byte[16384];
            long before = 0;
            for (int i = 0; i < ScriptCount; i++)
            {
                if (i == WarmUp)
                {
                    before = GC.GetAllocatedBytesForCurrentThread();
                }

                int len = generator.Next(script);
                try
                {
                    engine.Run(script, len);
                }
                catch (Exception e)
                {
                    throw new FuzzFailure("script #" + i + ": " + e.GetType().Name + ": " + e.Message + "\nscript: "
                        + DecoderFuzzTests.Hex(script, len) + "\n" + e.StackTrace);
                }
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Counters c = engine.Engine.Counters;
            _output.WriteLine("scripts " + engine.Scripts + ", ops " + engine.Ops + ", bytes in " + engine.BytesIn + ", packets out "
                + engine.PacketsOut + ", packets sent valid/mutated " + generator.PacketsValid + "/" + generator.PacketsMutated);
            _output.WriteLine("accepts refused " + engine.Refused + ", network drops " + engine.NetworkDrops + ", engine closes "
                + engine.EngineCloses + ", allocated after warm-up " + allocated + " bytes");
            _output.WriteLine("engine: violations " + c.ProtocolViolations + ", connects refused " + c.ConnectsRefused + ", takeovers "
                + c.Takeovers + ", wills " + c.WillsPublished + ", keep-alive expiries " + c.KeepAliveExpired + ", connect timeouts "
                + c.ConnectTimeouts + ", messages in/out " + c.MessagesReceived + "/" + c.MessagesSent + ", dropped " + c.MessagesDropped
                + " (queue full " + c.DroppedQueueFull + ", pool full " + c.DroppedPoolFull + ", offline QoS 0 " + c.DroppedOfflineQos0
                + ", with a clean session " + c.DroppedWithSession + "), publishes held " + c.PublishesHeld + ", stalled cut " + c.StalledDisconnects);

            Assert.Equal(0, allocated);
            // The run must reach the engine's interesting paths, or it proves little.
            Assert.True(c.ProtocolViolations > 1000, "violations " + c.ProtocolViolations);
            Assert.True(c.MessagesSent > 1000, "messages sent " + c.MessagesSent);
            Assert.True(c.Takeovers > 0 && c.KeepAliveExpired > 0 && c.ConnectTimeouts > 0 && c.WillsPublished > 0, "a life-cycle path was never reached");
            Assert.True(engine.Refused > 0 && c.ConnectsRefused > 0, "the slot limits were never reached");
        }
    }
}
