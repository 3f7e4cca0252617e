using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Host.Tests
{
    /// <summary>
    /// Compiles C# for the device the way the stand-in project system does (C# 9, no standard library, the nanoFramework
    /// mscorlib 1.17.11 of the NuGet package as the only framework reference), so host tests can look at the DLL the
    /// device build would produce: a stand-in's .nfproj (its Compile items, its references to other stand-ins) or a snippet.
    /// </summary>
    internal static class DeviceCompiler
    {
        private static readonly XNamespace Ms = "http://schemas.microsoft.com/developer/msbuild/2003";

        public static string RepoRoot { get; } = FindRepoRoot();

        public static string StandInsDir => Path.Combine(RepoRoot, "build", "nanoFramework", "stand-ins");

        /// <summary>The device mscorlib reference assembly (restored by this project's PackageDownload).</summary>
        public static string Mscorlib
        {
            get
            {
                string path = typeof(DeviceCompiler).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                    .Single(a => a.Key == "NanoMscorlib").Value;
                if (!File.Exists(path)) throw new FileNotFoundException("nanoFramework mscorlib not restored", path);
                return path;
            }
        }

        /// <summary>Builds stand-ins/&lt;name&gt;/&lt;name&gt;.nfproj (and the stand-ins it references) into dir; returns the DLL.</summary>
        public static string BuildStandIn(string name, string dir)
        {
            string output = Path.Combine(dir, name + ".dll");
            if (File.Exists(output)) return output;

            string project = Path.Combine(StandInsDir, name, name + ".nfproj");
            XDocument xml = XDocument.Load(project);
            string folder = Path.GetDirectoryName(project);
            var sources = xml.Descendants(Ms + "Compile")
                .Select(c => Path.Combine(folder, ((string)c.Attribute("Include")).Replace('\\', Path.DirectorySeparatorChar)))
                .ToList();
            var references = new List<string>();
            foreach (XElement reference in xml.Descendants(Ms + "Reference"))
            {
                string hint = (string)reference.Element(Ms + "HintPath");
                string assembly = Path.GetFileNameWithoutExtension(hint.Replace('\\', '/'));
                if (assembly != "mscorlib") references.Add(BuildStandIn(assembly, dir));
            }

            Compile(name, sources.Select(File.ReadAllText), references, output, OutputKind.DynamicallyLinkedLibrary);
            return output;
        }

        /// <summary>
        /// Builds one of the repository's device projects (e.g. Device.Broker/Device.Broker.nfproj) into dir as the
        /// device build does: its Compile list, its package references as stand-ins, its project references built the
        /// same way. Returns the DLL.
        /// </summary>
        public static string BuildDeviceProject(string relativeProject, string dir)
        {
            string project = Path.Combine(RepoRoot, relativeProject.Replace('/', Path.DirectorySeparatorChar));
            string name = Path.GetFileNameWithoutExtension(project);
            string output = Path.Combine(dir, name + ".dll");
            if (File.Exists(output)) return output;

            XDocument xml = XDocument.Load(project);
            string folder = Path.GetDirectoryName(project);
            var sources = xml.Descendants(Ms + "Compile")
                .Select(c => Path.Combine(folder, ((string)c.Attribute("Include")).Replace('\\', Path.DirectorySeparatorChar)))
                .ToList();
            var references = new List<string>();
            foreach (XElement reference in xml.Descendants(Ms + "Reference"))
            {
                string hint = (string)reference.Element(Ms + "HintPath");
                string assembly = Path.GetFileNameWithoutExtension(hint.Replace('\\', '/'));
                if (assembly != "mscorlib") references.Add(BuildStandIn(assembly, dir));
            }

            foreach (XElement reference in xml.Descendants(Ms + "ProjectReference"))
            {
                string other = Path.GetRelativePath(RepoRoot, Path.Combine(folder, ((string)reference.Attribute("Include")).Replace('\\', Path.DirectorySeparatorChar)));
                references.Add(BuildDeviceProject(other, dir));
            }

            Compile(name, sources.Select(File.ReadAllText), references, output, OutputKind.DynamicallyLinkedLibrary);
            return output;
        }

        /// <summary>Compiles source text into dir/name.dll against the device mscorlib; throws with the diagnostics on error.</summary>
        public static string CompileSnippet(string name, string source, string dir)
        {
            string output = Path.Combine(dir, name + ".dll");
            Compile(name, new[] { source }, new string[0], output, OutputKind.DynamicallyLinkedLibrary);
            return output;
        }

        private static void Compile(string name, IEnumerable<string> sources, IEnumerable<string> references, string output, OutputKind kind)
        {
            var parse = new CSharpParseOptions(LanguageVersion.CSharp9, preprocessorSymbols: new[] { "NANOFRAMEWORK_1_0" });
            var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s, parse)).ToList();
            var refs = new[] { Mscorlib }.Concat(references).Select(r => (MetadataReference)MetadataReference.CreateFromFile(r)).ToList();
            var compilation = CSharpCompilation.Create(name, trees, refs,
                new CSharpCompilationOptions(kind, optimizationLevel: OptimizationLevel.Release, deterministic: true));
            Directory.CreateDirectory(Path.GetDirectoryName(output));
            using (var stream = File.Create(output))
            {
                var result = compilation.Emit(stream);
                if (!result.Success)
                {
                    throw new InvalidOperationException(name + " does not compile:" + Environment.NewLine + string.Join(Environment.NewLine,
                        result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
                }
            }
        }

        // From this source file, not the test binary: --artifacts-path puts the binary outside the repository.
        private static string FindRepoRoot([CallerFilePath] string here = "")
        {
            string dir = Path.GetDirectoryName(here);
            while (dir != null && !File.Exists(Path.Combine(dir, "nfproj.sln"))) dir = Path.GetDirectoryName(dir);
            return dir ?? throw new DirectoryNotFoundException("no nfproj.sln above " + here);
        }
    }
}
