using System.Collections.Generic;
using System.Reflection;
using System;

using Fuzz.Shared;

namespace Fuzz.Decoder
{
    public static class Program
    {
        private static readonly DecoderOracle Oracle = new DecoderOracle();

        // run.sh --selftest sets this: a crash AFL++ must find, proving findings are reported and not swallowed.
        private static readonly bool Plant = Environment.GetEnvironmentVariable("FUZZ_PLANT") == "1";

        public static int Main(string[] args)
        {
            return FuzzMain.Run(args, (input, len) =>
            {
                if (Plant && len > 0 && input[0] == 0x35)
                {
                    throw new FuzzFailure("planted bug: PUBLISH QoS 2 with RETAIN");
                }

                // Unlimited and with the Device profile's packet limit: PacketTooLarge must agree with the header.
                Oracle.Check(input, len, 0);
                Oracle.Check(input, len, 1024);
            }, Seeds);
        }

        /// <summary>The encoder-built packets plus the codec's byte-exact vectors (spec examples, Mosquitto captures).</summary>
        private static List<byte[]> Seeds()
        {
            List<byte[]> seeds = PacketSeeds.All();
            foreach (FieldInfo f in typeof(Device.Tests.Vectors).GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
            {
                if (f.GetValue(null) is string hex && PacketSeeds.TryHex(hex, out byte[] b) && PacketSeeds.IsValidStream(b))
                {
                    seeds.Add(b);
                }
            }

            return seeds;
        }
    }
}
