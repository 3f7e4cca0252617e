using System;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// The host package as a PC app gets it: the two host packages are packed into a local folder feed, a fresh
    /// throwaway console project restores NanoMqttBroker.Engine.Host from it (a NuGet.config adding the folder to
    /// the machine's own sources, packages restored into the temp folder so nothing reaches the global cache) and
    /// runs a broker with a local subscription: the app's Publish reaches its handler, through the package's API.
    /// The app needs no other package, so the restore works without a network; only when a configured registry
    /// cannot be reached and NuGet refuses for it (NU1301) is the test skipped, with that message.
    /// </summary>
    public class HostPackageTests
    {
        private const string Program = @"using System;
using Device.Broker;

sealed class Relay : IMessageHandler
{
    public void OnMessage(LocalMessage m)
    {
        Console.WriteLine(""local: "" + m.Topic.ToString() + "" = "" + m.Payload.ToString() + "" qos "" + m.Qos);
    }
}

static class Program
{
    static int Main()
    {
        BrokerEngine broker = new BrokerEngine(BrokerOptions.Host());
        int id = broker.Subscribe(""gw/relay/#"", new Relay());
        PublishResult r = broker.Publish(""gw/relay/1"", new byte[] { (byte)'o', (byte)'n' }, 1, false);
        Console.WriteLine(""publish: "" + r + "", subscription "" + id + "", local published "" + broker.Counters.LocalPublished);
        return r == PublishResult.Ok ? 0 : 1;
    }
}
";

        [SkippableFact]
        public void Fresh_project_restores_the_host_package_from_a_folder_feed_and_runs_a_local_subscription()
        {
            string root = DeviceCompiler.RepoRoot;
            string work = Path.Combine(Path.GetTempPath(), "i15-pkg-" + Guid.NewGuid().ToString("N"));
            string feed = Path.Combine(work, "feed");
            string app = Path.Combine(work, "app");
            Directory.CreateDirectory(feed);
            Directory.CreateDirectory(app);
            // A version of its own: a package id and version already in some cache could hide a broken pack.
            string version = "0.1.0-test" + DateTime.UtcNow.ToString("yyyyMMddHHmmss");
            try
            {
                foreach (string project in new[] { "host/Device.Protocol", "host/Device.Broker" })
                {
                    var (code, output) = Run(root, "pack", Path.Combine(root, project), "-c", "Release", "-o", feed, "-p:Version=" + version,
                        "--artifacts-path", Path.Combine(work, "pack-artifacts"), "-nologo");
                    Assert.True(code == 0, output);
                }

                Assert.True(File.Exists(Path.Combine(feed, "NanoMqttBroker.Engine.Host." + version + ".nupkg")));
                File.WriteAllText(Path.Combine(app, "NuGet.config"),
                    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSources>\n    <add key=\"local-feed\" value=\"" + feed
                    + "\" />\n  </packageSources>\n</configuration>\n");
                File.WriteAllText(Path.Combine(app, "App.csproj"),
                    "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <OutputType>Exe</OutputType>\n    <TargetFramework>net10.0</TargetFramework>\n"
                    + "    <RestorePackagesPath>" + Path.Combine(work, "packages") + "</RestorePackagesPath>\n  </PropertyGroup>\n  <ItemGroup>\n"
                    + "    <PackageReference Include=\"NanoMqttBroker.Engine.Host\" Version=\"" + version + "\" />\n  </ItemGroup>\n</Project>\n");
                File.WriteAllText(Path.Combine(app, "Program.cs"), Program);

                var (restoreCode, restoreOutput) = Run(app, "restore", "-nologo");
                Skip.If(restoreCode != 0 && restoreOutput.Contains("NU1301"), "a configured package source is unreachable (NU1301): " + restoreOutput);
                Assert.True(restoreCode == 0, restoreOutput);
                Assert.True(Directory.Exists(Path.Combine(work, "packages", "nanomqttbroker.protocol.host", version)), "the codec came as the engine's dependency");

                var (runCode, runOutput) = Run(app, "run", "--no-restore", "-nologo");
                Assert.True(runCode == 0, runOutput);
                Assert.Contains("local: gw/relay/1 = on qos 1", runOutput);
                Assert.Contains("publish: Ok, subscription 0, local published 1", runOutput);
            }
            finally
            {
                try
                {
                    Directory.Delete(work, true);
                }
                catch (IOException)
                {
                }
            }
        }

        private static (int, string) Run(string directory, params string[] args)
        {
            return ChildBuild.Run(directory, "dotnet", args);
        }
    }
}
