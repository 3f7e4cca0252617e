using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System;
using Device.Protocol;
using nanoFramework.TestFramework;

using Device.Tests;

using Fuzz.Shared;

namespace Host.Tests
{
    /// <summary>
    /// The fuzzers' seeds: the encoder-built packets of <see cref="PacketSeeds"/> plus every valid packet vector the
    /// codec's own device-style tests hold (static byte[] fields and byte[] DataRow arguments of the classes in
    /// Device/Protocol/, and hex strings such as Protocol/Vectors.cs holds). Harvesting them by reflection keeps the corpus growing with the codec's tests
    /// without anyone copying vectors by hand; only byte arrays that frame and decode as valid packets are kept.
    /// </summary>
    public static class SeedCorpus
    {
        public static byte[][] Valid(out int harvested)
        {
            var all = new List<byte[]>(PacketSeeds.All());
            var seen = new HashSet<string>(all.Select(Convert.ToBase64String));
            harvested = 0;
            foreach (byte[] candidate in CodecTestVectors())
            {
                if (PacketSeeds.IsValidStream(candidate) && seen.Add(Convert.ToBase64String(candidate)))
                {
                    all.Add(candidate);
                    harvested++;
                }
            }

            return all.ToArray();
        }

        /// <summary>The classes of Device.Tests/Protocol/ (one namespace per project, so the codec's are found by name).</summary>
        private static bool IsCodecTest(string name)
        {
            return name.EndsWith("PacketTests", StringComparison.Ordinal) || name.StartsWith("Framing", StringComparison.Ordinal)
                || name == "TopicTests" || name == "Utf8Tests" || name == "Vectors";
        }

        private static IEnumerable<byte[]> CodecTestVectors()
        {
            const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
            IEnumerable<Type> types = typeof(SeedCorpus).Assembly.GetTypes()
                .Where(t => t.Namespace == "Device.Tests" && IsCodecTest(t.Name));
            foreach (Type type in types)
            {
                foreach (FieldInfo field in type.GetFields(All).Where(f => f.IsStatic))
                {
                    foreach (byte[] b in Arrays(SafeGet(() => field.GetValue(null))))
                    {
                        yield return b;
                    }
                }

                foreach (MethodInfo method in type.GetMethods(All))
                {
                    foreach (DataRowAttribute row in method.GetCustomAttributes<DataRowAttribute>())
                    {
                        foreach (object arg in row.MethodParameters ?? new object[0])
                        {
                            foreach (byte[] b in Arrays(arg))
                            {
                                yield return b;
                            }
                        }
                    }
                }
            }
        }

        private static object SafeGet(Func<object> get)
        {
            try
            {
                return get();
            }
            catch (Exception)
            {
                return null;
            }
        }

        private static IEnumerable<byte[]> Arrays(object value)
        {
            if (value is string hex && PacketSeeds.TryHex(hex, out byte[] parsed))
            {
                yield return parsed;
            }
            else if (value is byte[] single)
            {
                yield return single;
            }
            else if (value is byte[][] many)
            {
                foreach (byte[] b in many)
                {
                    yield return b;
                }
            }
        }
    }
}
