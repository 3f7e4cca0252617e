using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using System;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// Visual Studio and nanoff only ever see hardware/ through its project file, packages.config and nfproj.sln,
    /// and the compile-only device build here forgives some disagreements between them that the real one does
    /// not (a HintPath to a package that packages.config does not restore, a source file left out of the
    /// old-style project, a project that the solution builds but never deploys). So check that they agree.
    /// </summary>
    public class HardwareProjectTests
    {
        private const string NfProjectType = "{11A8DD76-328B-46DF-9F39-F559912D0360}";
        private const string HardwareGuid = "{9F4B8D5E-4C6A-4B1D-8EAF-5A7C9D1E3F44}";
        private static readonly XNamespace Ms = "http://schemas.microsoft.com/developer/msbuild/2003";

        [Fact]
        public void Project_is_an_Exe_nfproj_with_the_agreed_guid()
        {
            XDocument project = Project(out _);
            Assert.Equal("Exe", Property(project, "OutputType"));
            Assert.Equal(HardwareGuid, Property(project, "ProjectGuid"), ignoreCase: true);
            Assert.Contains(NfProjectType, Property(project, "ProjectTypeGuids"), StringComparison.OrdinalIgnoreCase);
            Assert.Equal("v1.0", Property(project, "TargetFrameworkVersion"));
        }

        [Fact]
        public void Every_reference_hint_path_names_a_package_in_packages_config()
        {
            XDocument project = Project(out _);
            Dictionary<string, string> packages = Packages();
            List<string> problems = new List<string>();
            foreach (XElement reference in project.Descendants(Ms + "Reference"))
            {
                string include = (string)reference.Attribute("Include");
                string hint = (string)reference.Element(Ms + "HintPath");
                if (hint == null)
                {
                    problems.Add(include + ": no HintPath (the device build would not find it)");
                    continue;
                }

                Match m = Regex.Match(hint, @"^\.\.\\packages\\(?<pkg>[^\\]+)\\lib\\(?<file>[^\\]+)\.(dll|exe)$");
                if (!m.Success)
                {
                    problems.Add(include + ": HintPath " + hint + " is not ..\\packages\\<Id>.<Version>\\lib\\<Assembly>.dll");
                    continue;
                }

                string pkg = m.Groups["pkg"].Value;
                KeyValuePair<string, string> owner = packages.FirstOrDefault(p => pkg == p.Key + "." + p.Value);
                if (owner.Key == null)
                {
                    problems.Add(include + ": HintPath folder " + pkg + " matches no id+version in packages.config");
                    continue;
                }

                // The assembly the reference names must be the file it points at, at the package's version.
                string[] parts = include.Split(',').Select(s => s.Trim()).ToArray();
                if (parts[0] != m.Groups["file"].Value)
                {
                    problems.Add(include + ": names assembly " + parts[0] + " but points at " + m.Groups["file"].Value);
                }

                string version = parts.FirstOrDefault(p => p.StartsWith("Version=", StringComparison.Ordinal));
                if (version == null || !(version.Substring(8) + ".").StartsWith(owner.Value + ".", StringComparison.Ordinal))
                {
                    problems.Add(include + ": version does not start with the package version " + owner.Value);
                }
            }

            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        }

        [Fact]
        public void Every_package_in_packages_config_is_referenced()
        {
            // The deployment image holds exactly the referenced assemblies: an unreferenced package is either
            // dead weight or a dependency the board will miss at start-up ("needs assembly ...").
            XDocument project = Project(out _);
            string hints = string.Join("\n", project.Descendants(Ms + "HintPath").Select(h => h.Value));
            string[] unreferenced = Packages()
                .Where(p => !hints.Contains(@"..\packages\" + p.Key + "." + p.Value + @"\lib\", StringComparison.Ordinal))
                .Select(p => p.Key + " " + p.Value)
                .ToArray();
            Assert.True(unreferenced.Length == 0, "not referenced: " + string.Join(", ", unreferenced));
        }

        [Fact]
        public void Every_referenced_assembly_compiles_here_from_a_restored_package_or_a_stand_in()
        {
            XDocument project = Project(out _);
            string standIns = Path.Combine(Root(), "build", "nanoFramework", "stand-ins");
            string[] missing = project.Descendants(Ms + "HintPath")
                .Select(h => Path.GetFileNameWithoutExtension(h.Value.Replace('\\', '/')))
                .Where(name => name != "mscorlib" && !File.Exists(Path.Combine(standIns, name, name + ".nfproj")))
                .ToArray();
            Assert.True(missing.Length == 0, "no stand-in for: " + string.Join(", ", missing));
        }

        [Fact]
        public void Every_source_file_is_a_compile_item_and_every_compile_item_exists()
        {
            XDocument project = Project(out string dir);
            HashSet<string> compiled = project.Descendants(Ms + "Compile")
                .Select(c => ((string)c.Attribute("Include")).Replace('\\', '/'))
                .ToHashSet(StringComparer.Ordinal);
            string[] onDisk = Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/'))
                .Where(f => !f.StartsWith("bin/", StringComparison.Ordinal) && !f.StartsWith("obj/", StringComparison.Ordinal))
                .ToArray();
            string[] notCompiled = onDisk.Where(f => !compiled.Contains(f)).ToArray();
            string[] missing = compiled.Where(f => !File.Exists(Path.Combine(dir, f))).ToArray();
            Assert.True(notCompiled.Length == 0, "not in the project: " + string.Join(", ", notCompiled));
            Assert.True(missing.Length == 0, "listed but missing: " + string.Join(", ", missing));
        }

        [Fact]
        public void Project_references_the_engine_and_the_transport()
        {
            XDocument project = Project(out string dir);
            string[] refs = project.Descendants(Ms + "ProjectReference")
                .Select(r => ((string)r.Attribute("Include")).Replace('\\', '/'))
                .ToArray();
            Assert.Contains("../Device.Broker/Device.Broker.nfproj", refs);
            Assert.Contains("../Device.Net/Device.Net.nfproj", refs);
            foreach (string r in refs)
            {
                Assert.True(File.Exists(Path.Combine(dir, r)), "ProjectReference to a missing project: " + r);
            }
        }

        [Fact]
        public void Solution_builds_and_deploys_the_project_in_both_configurations()
        {
            Project(out string dir);
            string sln = File.ReadAllText(Path.Combine(Root(), "nfproj.sln"));
            string file = Path.GetFileName(Directory.GetFiles(dir, "*.nfproj").Single());
            Match entry = Regex.Match(sln,
                @"Project\(""(?<type>\{[^}]+\})""\)\s*=\s*""[^""]+"",\s*""hardware\\" + Regex.Escape(file) + @""",\s*""(?<guid>\{[^}]+\})""");
            Assert.True(entry.Success, "nfproj.sln has no project entry for hardware\\" + file);
            Assert.Equal(NfProjectType, entry.Groups["type"].Value, ignoreCase: true);
            Assert.Equal(HardwareGuid, entry.Groups["guid"].Value, ignoreCase: true);
            foreach (string config in new[] { "Debug", "Release" })
            {
                foreach (string what in new[] { "ActiveCfg", "Build.0", "Deploy.0" })
                {
                    string line = HardwareGuid + "." + config + "|Any CPU." + what + " = " + config + "|Any CPU";
                    Assert.True(sln.Contains(line, StringComparison.OrdinalIgnoreCase), "nfproj.sln lacks: " + line);
                }
            }
        }

        [Fact]
        public void Settings_file_with_credentials_stays_out_of_git_and_the_example_is_valid_json()
        {
            string root = Root();
            string[] ignored = File.ReadAllLines(Path.Combine(root, ".gitignore")).Select(l => l.Trim()).ToArray();
            Assert.Contains("hardware/settings.json", ignored);
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "hardware", "settings.example.json")));
            string[] keys = doc.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
            Assert.Equal(new[] { "ssid", "password", "port", "statusSeconds" }, keys);
        }

        private static XDocument Project(out string dir)
        {
            dir = Path.Combine(Root(), "hardware");
            string[] projects = Directory.GetFiles(dir, "*.nfproj");
            Assert.True(projects.Length == 1, "hardware/ must hold exactly one .nfproj, found " + projects.Length);
            return XDocument.Load(projects[0]);
        }

        private static string Property(XDocument project, string name)
        {
            return project.Descendants(Ms + name).Select(e => e.Value).FirstOrDefault();
        }

        private static Dictionary<string, string> Packages()
        {
            XDocument config = XDocument.Load(Path.Combine(Root(), "hardware", "packages.config"));
            return config.Root.Elements("package").ToDictionary(p => (string)p.Attribute("id"), p => (string)p.Attribute("version"));
        }

        // From this source file, not the test binary: --artifacts-path puts the binary outside the repository.
        private static string Root([CallerFilePath] string here = "")
        {
            string dir = Path.GetDirectoryName(here);
            while (dir != null && !File.Exists(Path.Combine(dir, "nfproj.sln")))
            {
                dir = Path.GetDirectoryName(dir);
            }

            Assert.True(dir != null, "repository root (nfproj.sln) not found above " + here);
            return dir;
        }
    }
}
