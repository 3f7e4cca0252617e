using System.Collections.Generic;

using Fuzz.Shared;

namespace Fuzz.Engine
{
    public static class Program
    {
        // A fresh broker per input: AFL++ needs the same input to take the same path (stability). Created on the
        // first input, inside Fuzzer.Run: instrumented code run before it has no coverage map to write to.
        private static EngineScript script;

        public static int Main(string[] args)
        {
            return FuzzMain.Run(args, (input, len) =>
            {
                script ??= new EngineScript(EngineScript.TightOptions(), true);
                script.Run(input, len);
            }, Seeds);
        }

        /// <summary>Scripts of valid packets only: AFL++ does the mutating, guided by the engine's coverage.</summary>
        private static List<byte[]> Seeds()
        {
            byte[][] packets = PacketSeeds.All().ToArray();
            var generator = new ScriptGenerator(1, packets, 0);
            var buffer = new byte[16384];
            var seeds = new List<byte[]>();
            for (int i = 0; i < 24; i++)
            {
                int len = generator.Next(buffer);
                seeds.Add(buffer[..len]);
            }

            return seeds;
        }
    }
}
