using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Device.Protocol;
using dnlib.DotNet;
using dnlib.DotNet.Emit;
using Xunit;
using Xunit.Abstractions;

namespace Host.Tests
{
    /// <summary>
    /// Issue 16, the non-BMP rule (docs/PLATFORM.md): nanoCLR keeps strings as UTF-8 and its String indexer returns
    /// the high surrogate at both positions of a supplementary character, so device code must not turn a string into
    /// bytes through the indexer. These tests read the compiled device assemblies and fail on any call to
    /// <c>String.get_Chars</c> outside a short list of methods that only look for ASCII delimiters or digits (an
    /// ASCII char never reads as part of a supplementary character at either position, so those stay right there).
    /// </summary>
    public class StringIndexingTests
    {
        private readonly ITestOutputHelper _output;

        public StringIndexingTests(ITestOutputHelper output)
        {
            _output = output;
        }

        // Method ("Type.Method") and why indexing is right on nanoCLR there.
        private static readonly Dictionary<string, string> AsciiOnly = new Dictionary<string, string>
        {
            ["TextLines.Skipped"] = "compares the first char with '#'",
            ["TextLines.FirstWord"] = "looks for ' ' and '\\t'",
            ["UsersFile.Number"] = "accepts '0'..'9' only",
            ["Utf8.IsAscii"] = "tests every unit against 0x80",
            ["Utf8.CopyAscii"] = "copies units IsAscii found all below 0x80",
            ["ByteView.CompareAscii"] = "compares units IsAscii found all below 0x80",
        };

        private static readonly Assembly[] DeviceAssemblies =
        {
            typeof(Utf8).Assembly,                       // Device.Protocol
            typeof(Device.Broker.BrokerEngine).Assembly, // Device.Broker
            typeof(Device.Client.MqttClient).Assembly,   // Device.Client
            typeof(Device.Net.SocketTransport).Assembly, // Device.Net
        };

        private static List<string> Indexers()
        {
            var found = new List<string>();
            foreach (Assembly a in DeviceAssemblies)
            {
                ModuleDefMD module = ModuleDefMD.Load(a.Location);
                foreach (TypeDef t in module.GetTypes())
                {
                    foreach (MethodDef m in t.Methods.Where(x => x.HasBody))
                    {
                        if (m.Body.Instructions.Any(i => i.Operand is IMethod callee && (i.OpCode.Code == Code.Call || i.OpCode.Code == Code.Callvirt)
                            && callee.DeclaringType.FullName == "System.String" && callee.Name == "get_Chars"))
                        {
                            found.Add(t.Name + "." + m.Name);
                        }
                    }
                }
            }

            return found;
        }

        [Fact]
        public void Device_code_indexes_strings_only_to_find_ascii()
        {
            List<string> found = Indexers();
            foreach (string m in found)
            {
                _output.WriteLine(m + (AsciiOnly.TryGetValue(m, out string why) ? ": " + why : ": NOT ALLOWED"));
            }

            Assert.DoesNotContain(found, m => !AsciiOnly.ContainsKey(m));
        }

        [Fact]
        public void Utf8_indexes_a_string_only_on_its_ascii_path()
        {
            List<string> found = Indexers();
            Assert.Equal(new[] { "Utf8.CopyAscii", "Utf8.IsAscii" }, found.Where(m => m.StartsWith("Utf8.", StringComparison.Ordinal)).OrderBy(m => m, StringComparer.Ordinal));
            // The scan itself sees an indexer call elsewhere too: a test that cannot fail is a defect.
            Assert.Contains("TextLines.FirstWord", found);
        }

        [Fact]
        public void Ascii_strings_are_encoded_without_allocating()
        {
            // The engine encodes its auto_id_prefix at construction, and the Budget test measures every byte the
            // constructor allocates: the ASCII path must not make a char array.
            byte[] dst = new byte[32];
            string s = "auto-" + "x";
            Utf8.Encode(s, dst, 0);
            long before = GC.GetAllocatedBytesForCurrentThread();
            int n = Utf8.ByteCount(s) + Utf8.Encode(s, dst, 0);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(12, n);
            Assert.Equal(0, allocated);
        }

        [Fact]
        public void String_overloads_agree_with_the_code_unit_overloads_for_lone_surrogates()
        {
            // Lone surrogates in a string are a .NET case (nanoCLR's UTF-8 strings cannot be relied on to keep one):
            // the device tests use the char[] overloads for them, this checks the string overloads on .NET.
            string s = new string(new[] { 'a', (char)0xD800, 'b', (char)0xDC00 });
            byte[] viaString = new byte[Utf8.ByteCount(s)];
            Assert.Equal(viaString.Length, Utf8.Encode(s, viaString, 0));
            char[] c = s.ToCharArray();
            byte[] viaChars = new byte[Utf8.ByteCount(c, 0, c.Length)];
            Assert.Equal(viaChars.Length, Utf8.Encode(c, 0, c.Length, viaChars, 0));
            Assert.Equal(viaChars, viaString);
            Assert.Equal(new byte[] { 0x61, 0xEF, 0xBF, 0xBD, 0x62, 0xEF, 0xBF, 0xBD }, viaString);
        }
    }
}
