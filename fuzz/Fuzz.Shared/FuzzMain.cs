using System.Collections.Generic;
using System.IO;
using System;
using SharpFuzz;

namespace Fuzz.Shared
{
    /// <summary>
    /// The command line every target shares: no argument runs under afl-fuzz (SharpFuzz's in-process fork
    /// server, input on stdin); "seeds DIR" writes the starting corpus; "replay FILE..." runs saved inputs
    /// (crashes, hangs, the queue) without AFL and prints what each one did, so a finding is easy to debug.
    /// </summary>
    public static class FuzzMain
    {
        public static int Run(string[] args, Action<byte[], int> target, Func<List<byte[]>> seeds)
        {
            var input = new byte[1 << 16];
            if (args.Length >= 2 && args[0] == "seeds")
            {
                Directory.CreateDirectory(args[1]);
                List<byte[]> all = seeds();
                for (int i = 0; i < all.Count; i++)
                {
                    File.WriteAllBytes(Path.Combine(args[1], "seed-" + i.ToString("D3")), all[i]);
                }

                Console.WriteLine("wrote " + all.Count + " seeds to " + args[1]);
                return 0;
            }

            if (args.Length >= 1 && args[0] == "replay")
            {
                int failed = 0;
                for (int i = 1; i < args.Length; i++)
                {
                    byte[] bytes = File.ReadAllBytes(args[i]);
                    try
                    {
                        target(bytes, bytes.Length);
                        Console.WriteLine("ok     " + args[i]);
                    }
                    catch (Exception e)
                    {
                        failed++;
                        Console.WriteLine("FAILED " + args[i] + " (" + bytes.Length + " bytes: " + BitConverter.ToString(bytes, 0, Math.Min(bytes.Length, 256)) + ")");
                        Console.WriteLine(e);
                    }
                }

                return failed == 0 ? 0 : 1;
            }

            Fuzzer.Run(stream =>
            {
                int len = 0;
                int n;
                while (len < input.Length && (n = stream.Read(input, len, input.Length - len)) > 0)
                {
                    len += n;
                }

                target(input, len);
            });
            return 0;
        }
    }
}
