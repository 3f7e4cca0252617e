using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// The samples under samples/ (issue 15) are nanoFramework apps that Visual Studio opens through nfproj.sln and that
    /// the CI device build compile-checks: each must be in the solution (built and deployed in both configurations),
    /// list every source file, take every reference from its packages.config, and compile against the device mscorlib
    /// and the stand-ins exactly as the device build does.
    /// </summary>
    public class SampleProjectTests
    {
        private const string NfProjectType = "{11A8DD76-328B-46DF-9F39-F559912D0360}";
        private static readonly XNamespace Ms = "http://schemas.microsoft.com/developer/msbuild/2003";
        private static readonly string BuildDir = Path.Combine(Path.GetTempPath(), "samples-" + Guid.NewGuid().ToString("N"));

        public static IEnumerable<object[]> Samples()
        {
            yield return new object[] { "Gateway" };
            yield return new object[] { "FirstSensor" };
        }

        [Fact]
        public void Every_folder_under_samples_is_one_of_the_tested_samples()
        {
            string[] folders = Directory.GetDirectories(Path.Combine(DeviceCompiler.RepoRoot, "samples"))
                .Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray();
            Assert.Equal(new[] { "FirstSensor", "Gateway" }, folders);
            Assert.True(File.Exists(Path.Combine(DeviceCompiler.RepoRoot, "samples", "README.md")), "samples/README.md is missing");
        }

        [Theory]
        [MemberData(nameof(Samples))]
        public void Sample_is_an_Exe_built_and_deployed_by_the_solution_in_both_configurations(string sample)
        {
            XDocument project = Project(sample);
            Assert.Equal("Exe", Property(project, "OutputType"));
            Assert.Contains(NfProjectType, Property(project, "ProjectTypeGuids"), StringComparison.OrdinalIgnoreCase);
            string guid = Property(project, "ProjectGuid");

            string sln = File.ReadAllText(Path.Combine(DeviceCompiler.RepoRoot, "nfproj.sln"));
            Match entry = Regex.Match(sln, @"Project\(""(?<type>\{[^}]+\})""\)\s*=\s*""[^""]+"",\s*""samples\\" + sample + @"\\" + sample
                + @"\.nfproj"",\s*""(?<guid>\{[^}]+\})""");
            Assert.True(entry.Success, "nfproj.sln has no entry for samples\\" + sample + "\\" + sample + ".nfproj");
            Assert.Equal(NfProjectType, entry.Groups["type"].Value, ignoreCase: true);
            Assert.Equal(guid, entry.Groups["guid"].Value, ignoreCase: true);
            foreach (string config in new[] { "Debug", "Release" })
            {
                foreach (string what in new[] { "ActiveCfg", "Build.0", "Deploy.0" })
                {
                    string line = guid + "." + config + "|Any CPU." + what + " = " + config + "|Any CPU";
                    Assert.True(sln.Contains(line, StringComparison.OrdinalIgnoreCase), "nfproj.sln lacks: " + line);
                }
            }
        }

        [Theory]
        [MemberData(nameof(Samples))]
        public void Sample_lists_every_source_file_and_takes_every_reference_from_its_packages_config(string sample)
        {
            XDocument project = Project(sample);
            string dir = Path.Combine(DeviceCompiler.RepoRoot, "samples", sample);
            HashSet<string> compiled = project.Descendants(Ms + "Compile")
                .Select(c => ((string)c.Attribute("Include")).Replace('\\', '/')).ToHashSet(StringComparer.Ordinal);
            string[] onDisk = Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/'))
                .Where(f => !f.StartsWith("bin/", StringComparison.Ordinal) && !f.StartsWith("obj/", StringComparison.Ordinal))
                .ToArray();
            Assert.True(onDisk.All(compiled.Contains), "not in the project: " + string.Join(", ", onDisk.Where(f => !compiled.Contains(f))));
            Assert.True(compiled.All(f => File.Exists(Path.Combine(dir, f))), "listed but missing");

            var packages = XDocument.Load(Path.Combine(dir, "packages.config")).Root.Elements("package")
                .ToDictionary(p => (string)p.Attribute("id"), p => (string)p.Attribute("version"));
            var problems = new List<string>();
            var hints = new List<string>();
            foreach (XElement reference in project.Descendants(Ms + "Reference"))
            {
                string hint = (string)reference.Element(Ms + "HintPath");
                Match m = Regex.Match(hint ?? "", @"^\.\.\\\.\.\\packages\\(?<pkg>[^\\]+)\\lib\\(?<file>[^\\]+)\.dll$");
                if (!m.Success)
                {
                    problems.Add(reference.Attribute("Include") + ": HintPath " + hint + " is not ..\\..\\packages\\<Id>.<Version>\\lib\\<Assembly>.dll");
                    continue;
                }

                hints.Add(m.Groups["pkg"].Value);
                if (!packages.Any(p => m.Groups["pkg"].Value == p.Key + "." + p.Value))
                {
                    problems.Add(m.Groups["pkg"].Value + " matches no id+version in packages.config");
                }
            }

            problems.AddRange(packages.Where(p => !hints.Contains(p.Key + "." + p.Value)).Select(p => p.Key + " in packages.config is not referenced"));
            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        }

        [Fact]
        public void Gateway_builds_on_the_engine_and_the_transport_and_switches_a_gpio()
        {
            string dll = DeviceCompiler.BuildDeviceProject("samples/Gateway/Gateway.nfproj", BuildDir);
            List<string> references = References(dll);
            Assert.Contains("Device.Broker", references);
            Assert.Contains("Device.Net", references);
            Assert.Contains("System.Device.Gpio", references);
        }

        [Fact]
        public void First_sensor_builds_on_nanoFrameworks_M2Mqtt_client()
        {
            string dll = DeviceCompiler.BuildDeviceProject("samples/FirstSensor/FirstSensor.nfproj", BuildDir);
            List<string> references = References(dll);
            Assert.Contains("nanoFramework.M2Mqtt", references);
            Assert.DoesNotContain("Device.Broker", references);
        }

        private static List<string> References(string dll)
        {
            using var stream = File.OpenRead(dll);
            using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
            var md = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
            return md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).ToList();
        }

        private static XDocument Project(string sample)
        {
            return XDocument.Load(Path.Combine(DeviceCompiler.RepoRoot, "samples", sample, sample + ".nfproj"));
        }

        private static string Property(XDocument project, string name)
        {
            return project.Descendants(Ms + name).Select(e => e.Value).FirstOrDefault();
        }
    }
}
