using System;
using Device.Tests.Fuzz;

namespace Device.Fuzz
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
            }, PacketSeeds.All);
        }
    }
}
