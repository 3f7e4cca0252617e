using System.Linq;
using System;
using Device.Protocol;
using Xunit.Abstractions;
using Xunit;

using Fuzz.Shared;

namespace Host.Tests
{
    /// <summary>
    /// Mutational fuzzing of framing and every decoder, seeded with every valid packet vector, with a fixed seed
    /// and a fixed count so a failure reproduces exactly. The oracle (DecoderOracle) checks invariants, not just
    /// the absence of exceptions, and the whole loop must allocate nothing once warm.
    /// </summary>
    public class DecoderFuzzTests
    {
        public const int Seed = 20240601;
        public const int Inputs = 1_000_000;
        private const int WarmUp = 5_000;

        private readonly ITestOutputHelper _output;

        public DecoderFuzzTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public void Every_seed_is_a_valid_packet_stream()
        {
            byte[][] seeds = SeedCorpus.Valid(out int harvested);
            Assert.All(seeds, s => Assert.True(PacketSeeds.IsValidStream(s), Hex(s, s.Length)));
            // One seed per packet type at least, so mutation starts from every decoder's accepting path.
            var types = seeds.Select(s => s[0] >> 4).Distinct().ToArray();
            Assert.Equal(14, types.Length);
            _output.WriteLine("seeds: " + seeds.Length + " (" + harvested + " harvested from the codec's tests)");
        }

        [Fact]
        public void Mutated_packets_never_throw_break_an_invariant_or_allocate()
        {
            byte[][] seeds = SeedCorpus.Valid(out int harvested);
            var mutator = new Mutator(Seed, seeds);
            var oracle = new DecoderOracle();
            var input = new byte[4096];
            int[] limits = { 0, 1024, 64 };
            long before = 0;
            for (int i = 0; i < Inputs; i++)
            {
                if (i == WarmUp)
                {
                    before = GC.GetAllocatedBytesForCurrentThread();
                }

                int len = mutator.Next(input);
                try
                {
                    oracle.Check(input, len, limits[i % limits.Length]);
                }
                catch (Exception e)
                {
                    throw new FuzzFailure("input #" + i + " (limit " + limits[i % limits.Length] + "): " + e.GetType().Name + ": "
                        + e.Message + "\nbytes: " + Hex(input, len) + "\n" + e.StackTrace);
                }
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Report(seeds.Length, harvested, mutator, oracle, allocated);
            Assert.Equal(0, allocated);

            // The mutations must actually reach the decoders' rejection paths, or the run proves little.
            int distinct = Enumerable.Range(0, oracle.Verdicts.Length).Count(v => oracle.Verdicts[v] > 0);
            Assert.True(distinct >= 20, "only " + distinct + " distinct verdicts reached");
            Assert.True(oracle.Verdicts[(int)DecodeResult.Ok] > Inputs / 10, "too few valid packets among the inputs");
        }

        private void Report(int seedCount, int harvested, Mutator mutator, DecoderOracle oracle, long allocated)
        {
            _output.WriteLine("inputs " + oracle.Inputs + ", complete packets decoded " + oracle.Packets + ", seeds " + seedCount
                + " (" + harvested + " harvested), allocated after warm-up " + allocated + " bytes");
            for (int k = 0; k < Mutator.Kinds; k++)
            {
                _output.WriteLine("  mutation " + Mutator.KindNames[k] + ": " + mutator.Applied[k]);
            }

            foreach (DecodeResult r in Enum.GetValues(typeof(DecodeResult)))
            {
                _output.WriteLine("  verdict " + r + ": " + oracle.Verdicts[(int)r]);
            }
        }

        public static string Hex(byte[] b, int len)
        {
            return BitConverter.ToString(b, 0, Math.Min(len, 512)).Replace("-", " ") + (len > 512 ? " ..." : "");
        }
    }
}
