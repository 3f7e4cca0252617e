using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// docs/CONVENTIONS.md: one type per file, named as the file, in every room we write (device code, host programs,
    /// tests, benchmarks, fuzzers). The stand-ins under build/nanoFramework mirror the real packages' files and
    /// are not ours to shape, so they are left out. Nested types are part of their file's type.
    /// </summary>
    public class OneTypePerFileTests
    {
        private static readonly string[] Rooms =
        {
            "Device.Protocol", "Device.Broker", "Device.Client", "Device.Net", "Device.Tests", "hardware", "host", "bench", "fuzz", "build/DeviceCheck",
        };

        [Fact]
        public void Every_source_file_holds_one_top_level_type_named_as_the_file()
        {
            List<string> wrong = new List<string>();
            int files = 0;
            foreach (string room in Rooms)
            {
                string dir = Path.Combine(DeviceCompiler.RepoRoot, room);
                if (!Directory.Exists(dir))
                {
                    continue;
                }

                foreach (string file in Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories))
                {
                    string rel = Path.GetRelativePath(DeviceCompiler.RepoRoot, file).Replace('\\', '/');
                    if (rel.Contains("/obj/") || rel.Contains("/bin/"))
                    {
                        continue;
                    }

                    files++;
                    SyntaxNode root = CSharpSyntaxTree.ParseText(File.ReadAllText(file)).GetRoot();
                    List<string> types = TopLevel(root).ToList();
                    string name = Path.GetFileNameWithoutExtension(file);
                    // A part of a partial type (BrokerEngine's handlers, MqttClient.Receive.cs) is named for what it holds.
                    bool partialPart = types.Count == 1 && IsPartial(root);
                    if (types.Count > 1 || (types.Count == 1 && types[0] != name && !partialPart))
                    {
                        wrong.Add(rel + ": " + string.Join(", ", types));
                    }
                }
            }

            Assert.True(files > 300, "found only " + files + " source files: wrong repository root?");
            Assert.True(wrong.Count == 0, "files holding other than one type of their name:\n" + string.Join("\n", wrong));
        }

        [Fact]
        public void The_check_sees_a_second_type_in_a_file()
        {
            SyntaxNode root = CSharpSyntaxTree.ParseText("namespace A { public class B { class Nested { } } public enum C { X } }").GetRoot();
            Assert.Equal(new[] { "B", "C" }, TopLevel(root).ToArray());
        }

        private static bool IsPartial(SyntaxNode root)
        {
            return root.DescendantNodes(n => n is CompilationUnitSyntax || n is BaseNamespaceDeclarationSyntax)
                .OfType<TypeDeclarationSyntax>()
                .All(t => t.Modifiers.Any(m => m.IsKind(SyntaxKind.PartialKeyword)));
        }

        /// <summary>Types declared directly in a namespace (or the file), with partial parts counted once per file.</summary>
        private static IEnumerable<string> TopLevel(SyntaxNode root)
        {
            return root.DescendantNodes(n => n is CompilationUnitSyntax || n is BaseNamespaceDeclarationSyntax)
                .Where(n => n is BaseTypeDeclarationSyntax || n is DelegateDeclarationSyntax)
                .Select(n => n is BaseTypeDeclarationSyntax t ? t.Identifier.Text : ((DelegateDeclarationSyntax)n).Identifier.Text)
                .Distinct();
        }
    }
}
