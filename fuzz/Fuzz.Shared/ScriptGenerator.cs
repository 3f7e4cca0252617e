using System;

namespace Fuzz.Shared
{
    /// <summary>
    /// Writes EngineScript scripts from the seed packets: most clients start with a valid CONNECT (so the
    /// engine's handlers past CONNECT are reached), then send valid and mutated packets in random chunks,
    /// interleaved with reads, partial reads, stalls, network drops and time passing. Deterministic for a
    /// seed and allocation-free, like the Mutator it uses.
    /// </summary>
    public sealed class ScriptGenerator
    {
        private readonly Random rng;
        private readonly Mutator mutator;
        private readonly byte[][] seeds;
        private readonly byte[][] connects;
        private readonly byte[] packet = new byte[2048];
        private readonly int mutatedPercent;

        public long PacketsValid;
        public long PacketsMutated;

        public ScriptGenerator(int seed, byte[][] seeds, int mutatedPercent)
        {
            rng = new Random(seed);
            mutator = new Mutator(seed + 1, seeds);
            this.seeds = seeds;
            this.mutatedPercent = mutatedPercent;
            connects = Array.FindAll(seeds, s => s[0] == 0x10);
        }

        /// <summary>Fills script and returns its length.</summary>
        public int Next(byte[] script)
        {
            int len = 0;
            for (int k = 0; k < EngineScript.Clients; k++)
            {
                if (rng.Next(5) != 0)
                {
                    byte[] c = connects[rng.Next(connects.Length)];
                    len = Send(script, len, k, c, c.Length);
                }
            }

            int steps = 5 + rng.Next(40);
            for (int i = 0; i < steps && len < script.Length - 1700; i++)
            {
                int k = rng.Next(EngineScript.Clients);
                int roll = rng.Next(100);
                if (roll < 55)
                {
                    len = SendPacket(script, len, k);
                }
                else if (roll < 67)
                {
                    script[len++] = Op(k, 3, 0);
                }
                else if (roll < 72)
                {
                    script[len++] = Op(k, 4, rng.Next(8));
                }
                else if (roll < 77)
                {
                    script[len++] = Op(k, 5, 0);
                }
                else if (roll < 89)
                {
                    script[len++] = Op(k, 6, 0);
                    script[len++] = (byte)(rng.Next(4) == 0 ? rng.Next(256) : rng.Next(20));
                }
                else
                {
                    script[len++] = Op(k, 7, rng.Next(4));
                }
            }

            return len;
        }

        private int SendPacket(byte[] script, int len, int k)
        {
            int n;
            if (rng.Next(100) < mutatedPercent)
            {
                n = mutator.Next(packet);
                PacketsMutated++;
            }
            else
            {
                byte[] s = seeds[rng.Next(seeds.Length)];
                n = Math.Min(s.Length, packet.Length);
                Array.Copy(s, packet, n);
                PacketsValid++;
            }

            n = Math.Min(n, 512);
            return Send(script, len, k, packet, n);
        }

        /// <summary>Sends bytes as one or several chunks, so packets arrive split as TCP may split them.</summary>
        private int Send(byte[] script, int len, int k, byte[] bytes, int n)
        {
            int at = 0;
            while (at < n)
            {
                int chunk = rng.Next(3) == 0 ? 1 + rng.Next(Math.Min(8, n - at)) : Math.Min(256, n - at);
                script[len++] = Op(k, rng.Next(3), 0);
                script[len++] = (byte)(chunk - 1);
                Array.Copy(bytes, at, script, len, chunk);
                len += chunk;
                at += chunk;
            }

            return len;
        }

        private static byte Op(int client, int kind, int arg)
        {
            return (byte)(client | (kind << 2) | (arg << 5));
        }
    }
}
