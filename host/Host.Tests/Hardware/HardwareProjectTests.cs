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
            Assert.Equal(new[] { "ssid", "password", "port", "statusSeconds", "maxClients", "passwordFile", "aclFile", "allowAnonymous", "persistenceSeconds", "logLevel", "syslogHost", "syslogPort", "logTopic", "logTopicBytes", "bridge" }, keys);
        }

        // One release train of nanoFramework packages (nanoFramework's own Samples, 2026-07): the board's firmware
        // must match it (flash.md, --fwversion). Packages outside this list (System.IO.Streams, System.Text) must
        // still have one version everywhere.
        private static readonly Dictionary<string, string> Train = new Dictionary<string, string>
        {
            ["nanoFramework.CoreLibrary"] = "1.17.11",
            ["nanoFramework.System.Net"] = "1.11.60",
            ["nanoFramework.System.Device.Wifi"] = "1.5.149",
            ["nanoFramework.System.IO.FileSystem"] = "1.1.93",
            ["nanoFramework.Runtime.Events"] = "1.11.37",
            ["nanoFramework.System.Threading"] = "1.1.52",
            ["nanoFramework.Runtime.Native"] = "1.7.11",
            ["nanoFramework.TestFramework"] = "3.0.80",
        };

        [Fact]
        public void Every_nfproj_and_packages_config_uses_one_package_set_of_one_release_train()
        {
            string root = Root();
            var seen = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            void Saw(string id, string version, string where)
            {
                if (!seen.TryGetValue(id, out List<string> list)) seen[id] = list = new List<string>();
                list.Add(version + " (" + where + ")");
            }

            var files = Directory.EnumerateFiles(root, "*.*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".nfproj", StringComparison.Ordinal) || Path.GetFileName(f) == "packages.config")
                .Where(f => !Regex.IsMatch(Path.GetRelativePath(root, f).Replace('\\', '/'), @"(^|/)(bin|obj|packages|\.git)/"))
                .ToList();
            Assert.Contains(files, f => f.EndsWith("Device.Tests.nfproj", StringComparison.Ordinal));
            Assert.Contains(files, f => f.EndsWith(Path.Combine("hardware", "packages.config"), StringComparison.Ordinal));

            var problems = new List<string>();
            foreach (string file in files)
            {
                string where = Path.GetRelativePath(root, file);
                XDocument xml = XDocument.Load(file);
                foreach (XElement package in xml.Descendants("package"))
                {
                    Saw((string)package.Attribute("id"), (string)package.Attribute("version"), where);
                }

                foreach (XElement reference in xml.Descendants(Ms + "Reference"))
                {
                    string hint = (string)reference.Element(Ms + "HintPath");
                    Match m = hint == null ? Match.Empty : Regex.Match(hint, @"packages\\(?<id>[^\\]+?)\.(?<version>\d+(\.\d+)+)\\lib\\");
                    if (!m.Success)
                    {
                        problems.Add(where + ": reference " + (string)reference.Attribute("Include") + " has no packages\\<Id>.<Version>\\lib HintPath");
                        continue;
                    }

                    string id = m.Groups["id"].Value, version = m.Groups["version"].Value;
                    Saw(id, version, where + " HintPath");
                    // The launcher exe inside the TestFramework package carries version 0.0.0.0, as in nanoFramework's templates.
                    bool launcher = ((string)reference.Attribute("Include")).StartsWith("nanoFramework.UnitTestLauncher,", StringComparison.Ordinal);
                    Match v = Regex.Match((string)reference.Attribute("Include"), @"Version=(?<v>[0-9.]+)");
                    if (!launcher && (!v.Success || !(v.Groups["v"].Value + ".").StartsWith(version + ".", StringComparison.Ordinal)))
                    {
                        problems.Add(where + ": " + (string)reference.Attribute("Include") + " does not carry version " + version + " of " + id);
                    }
                }
            }

            foreach (var entry in seen)
            {
                string[] versions = entry.Value.Select(e => e.Substring(0, e.IndexOf(' '))).Distinct().ToArray();
                if (versions.Length > 1) problems.Add(entry.Key + " has several versions: " + string.Join(", ", entry.Value));
                if (Train.TryGetValue(entry.Key, out string train) && versions.Any(x => x != train))
                {
                    problems.Add(entry.Key + " must be " + train + " (the release train): " + string.Join(", ", entry.Value));
                }
            }

            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
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
