using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// The four nanoFramework packages as build/packages/pack.sh (the documented command, docs/EMBEDDING.md "Packages")
    /// makes them, opened as NuGet would: lib/netnano1.0/ holds the assembly's .dll and .xml; the .nuspec inside names
    /// the package id, the version, and exactly the dependencies the project has: every entry of its packages.config
    /// (id and version, so a version bumped in one place and not the other fails) and its project references as the
    /// sibling packages at the same version. Without the metadata processor (this machine) there is no .pe/.pdbx: the
    /// packages must then be marked as incomplete (version, folder, description), never look publishable.
    /// One pack run (the fixture) serves every test.
    /// </summary>
    public class NanoPackageTests : IClassFixture<NanoPackageTests.PackRun>
    {
        private static readonly string[][] Packages =
        {
            new[] { "NanoMqttBroker.Protocol", "Device.Protocol" },
            new[] { "NanoMqttBroker.Engine", "Device.Broker" },
            new[] { "NanoMqttBroker.Client", "Device.Client" },
            new[] { "NanoMqttBroker.Net", "Device.Net" },
        };

        private readonly PackRun _run;

        public NanoPackageTests(PackRun run)
        {
            _run = run;
        }

        public static IEnumerable<object[]> Ids => Packages.Select(p => new object[] { p[0], p[1] });

        [Theory]
        [MemberData(nameof(Ids))]
        public void Package_holds_the_dll_and_the_xml_docs_in_lib_netnano1_0(string id, string assembly)
        {
            using ZipArchive zip = _run.Open(id);
            var names = zip.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("lib/netnano1.0/" + assembly + ".dll", names);
            Assert.Contains("lib/netnano1.0/" + assembly + ".xml", names);
            Assert.True(zip.GetEntry("lib/netnano1.0/" + assembly + ".dll").Length > 1000, "an empty .dll");
            XDocument docs = XDocument.Load(zip.GetEntry("lib/netnano1.0/" + assembly + ".xml").Open());
            Assert.Equal(assembly, docs.Root.Element("assembly").Element("name").Value);
            Assert.NotEmpty(docs.Root.Element("members").Elements("member"));
            bool pe = names.Contains("lib/netnano1.0/" + assembly + ".pe");
            Assert.Equal(pe, names.Contains("lib/netnano1.0/" + assembly + ".pdbx"));
            Assert.Equal(_run.Complete, pe);
        }

        [Theory]
        [MemberData(nameof(Ids))]
        public void Nuspec_has_the_id_the_version_and_the_dependencies_of_packages_config(string id, string assembly)
        {
            using ZipArchive zip = _run.Open(id);
            XDocument nuspec = XDocument.Load(zip.GetEntry(id + ".nuspec").Open());
            Assert.Equal(id, Metadata(nuspec, "id"));
            Assert.Equal(_run.NanoVersion, Metadata(nuspec, "version"));
            string mismatch = DependencyMismatch(nuspec, assembly, _run.NanoVersion);
            Assert.True(mismatch == null, mismatch);
        }

        [SkippableTheory]
        [MemberData(nameof(Ids))]
        public void Package_without_pe_is_marked_not_for_publishing(string id, string assembly)
        {
            Skip.If(_run.Complete, "the metadata processor made the .pe: the packages are complete");
            Assert.EndsWith("nope", _run.NanoVersion);
            Assert.False(File.Exists(Path.Combine(_run.Output, id + "." + _run.NanoVersion + ".nupkg")), "an incomplete package next to the publishable ones");
            using ZipArchive zip = _run.Open(id);
            XDocument nuspec = XDocument.Load(zip.GetEntry(id + ".nuspec").Open());
            Assert.Contains("INCOMPLETE BUILD, DO NOT PUBLISH", Metadata(nuspec, "description"));
            Assert.Contains("pe/.pdbx", _run.Log);
            Assert.Null(zip.GetEntry("lib/netnano1.0/" + assembly + ".pe"));
        }

        /// <summary>The check itself can fail: the repository's nuspec with one dependency version drifted is refused.</summary>
        [Fact]
        public void Dependency_check_refuses_a_drifted_version_and_a_missing_dependency()
        {
            string path = Path.Combine(DeviceCompiler.RepoRoot, "build", "packages", "NanoMqttBroker.Net.nuspec");
            string text = File.ReadAllText(path);
            Assert.Null(DependencyMismatch(XDocument.Parse(text), "Device.Net", "$version$"));

            string drifted = text.Replace("id=\"nanoFramework.System.Net\" version=\"1.11.60\"", "id=\"nanoFramework.System.Net\" version=\"1.11.61\"");
            Assert.NotEqual(text, drifted);
            Assert.Contains("nanoFramework.System.Net 1.11.60", DependencyMismatch(XDocument.Parse(drifted), "Device.Net", "$version$"));

            string missing = text.Replace("<dependency id=\"NanoMqttBroker.Client\" version=\"[$version$]\" />", "");
            Assert.NotEqual(text, missing);
            Assert.Contains("NanoMqttBroker.Client", DependencyMismatch(XDocument.Parse(missing), "Device.Net", "$version$"));
        }

        /// <summary>Null when the nuspec's dependencies are exactly packages.config's entries and the project references.</summary>
        private static string DependencyMismatch(XDocument nuspec, string assembly, string version)
        {
            string folder = Path.Combine(DeviceCompiler.RepoRoot, assembly);
            var expected = XDocument.Load(Path.Combine(folder, "packages.config")).Root.Elements("package")
                .Select(p => (string)p.Attribute("id") + " " + (string)p.Attribute("version")).ToList();
            XNamespace ms = "http://schemas.microsoft.com/developer/msbuild/2003";
            foreach (XElement reference in XDocument.Load(Path.Combine(folder, assembly + ".nfproj")).Descendants(ms + "ProjectReference"))
            {
                string other = Path.GetFileNameWithoutExtension(((string)reference.Attribute("Include")).Replace('\\', '/'));
                string package = Packages.Single(p => p[1] == other)[0];
                expected.Add(package + " [" + version + "]");
            }

            var actual = nuspec.Descendants().Where(e => e.Name.LocalName == "dependency")
                .Select(d => (string)d.Attribute("id") + " " + (string)d.Attribute("version")).ToList();
            var missing = expected.Except(actual).ToList();
            var extra = actual.Except(expected).ToList();
            if (missing.Count == 0 && extra.Count == 0 && actual.Count == expected.Count) return null;
            return assembly + ": nuspec lacks [" + string.Join(", ", missing) + "], has beyond packages.config and project references ["
                + string.Join(", ", extra) + "]";
        }

        private static string Metadata(XDocument nuspec, string name)
        {
            return nuspec.Descendants().Single(e => e.Name.LocalName == name && e.Parent.Name.LocalName == "metadata").Value;
        }

        private static (int, string) Run(string directory, string file, params string[] args)
        {
            return ChildBuild.Run(directory, file, args);
        }

        /// <summary>build/packages/pack.sh run once into a temp folder, with a version of its own.</summary>
        public sealed class PackRun : IDisposable
        {
            private readonly string _work = Path.Combine(Path.GetTempPath(), "i15-nanopkg-" + Guid.NewGuid().ToString("N"));

            public PackRun()
            {
                Output = Path.Combine(_work, "out");
                string version = "0.1.0-test" + DateTime.UtcNow.ToString("yyyyMMddHHmmss");
                var (code, log) = Run(DeviceCompiler.RepoRoot, "sh", Path.Combine(DeviceCompiler.RepoRoot, "build", "packages", "pack.sh"), version, Output);
                Log = log;
                if (code != 0) throw new InvalidOperationException("pack.sh failed (" + code + "):" + Environment.NewLine + log);
                Complete = File.Exists(Path.Combine(Output, "NanoMqttBroker.Engine." + version + ".nupkg"));
                NanoVersion = Complete ? version : version + ".nope";
                Folder = Complete ? Output : Path.Combine(Output, "incomplete");
            }

            public string Output { get; }

            public string Folder { get; }

            public string NanoVersion { get; }

            public bool Complete { get; }

            public string Log { get; }

            public ZipArchive Open(string id)
            {
                string file = Path.Combine(Folder, id + "." + NanoVersion + ".nupkg");
                Assert.True(File.Exists(file), "not packed: " + file + Environment.NewLine + Log);
                return ZipFile.OpenRead(file);
            }

            public void Dispose()
            {
                try
                {
                    Directory.Delete(_work, true);
                }
                catch (IOException)
                {
                }
            }
        }
    }
}
