using System.Diagnostics;
using System.IO;
using System;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// The device build trusts DeviceCheck to refuse what the nanoFramework runtime cannot load, so prove it
    /// refuses real generics and references, and passes real generic-free code.
    /// </summary>
    public class DeviceCheckTests
    {
        [Fact]
        public void Generic_free_assembly_passes()
        {
            var (code, output) = Check(typeof(nanoFramework.TestFramework.Assert).Assembly.Location);
            Assert.True(code == 0, output);
            Assert.Contains("no generics", output);
        }

        [Fact]
        public void Assembly_using_generics_fails_and_names_them()
        {
            var (code, output) = Check(typeof(DeviceCheckTests).Assembly.Location);
            Assert.Equal(1, code);
            Assert.Contains("generic instantiation System.Collections.Generic.HashSet`1", output);
            Assert.Contains("generic method definition", output);
            Assert.Contains("MethodSpec", output);
        }

        [Fact]
        public void Reference_outside_the_allowed_list_fails()
        {
            var (code, output) = Check(typeof(nanoFramework.TestFramework.Assert).Assembly.Location, "--only-references", "mscorlib");
            Assert.Equal(1, code);
            Assert.Contains("reference to assembly System.Runtime", output);
        }

        private const string StructLocal = @"
namespace Snippet
{
    public struct Point { public int X; }
    public static class Code
    {
        public static int Sum(int a) { Point p = new Point(); p.X = a; return p.X + 1; }
    }
}";

        private const string EnumAndInt = @"
namespace Snippet
{
    public enum Colour { Red, Green }
    public static class Code
    {
        public static int Sum(Colour c, int a) { Colour d = Colour.Green; int i = (int)c + (int)d; return i + a; }
    }
}";

        [Fact]
        public void No_structs_rejects_a_struct_local_in_a_device_assembly()
        {
            string dll = Snippet("StructLocal", StructLocal);
            Assert.Equal(0, Check(dll).Item1);
            var (code, output) = Check(dll, "--no-structs");
            Assert.Equal(1, code);
            Assert.Contains("local Snippet.Point in method Snippet.Code.Sum", output);
        }

        [Theory]
        [InlineData("Device.Protocol")]
        [InlineData("Device.Broker")]
        [InlineData("Device.Client")]
        public void No_structs_passes_the_per_message_assemblies(string assembly)
        {
            // The very sources the board runs (host twins here; the device build runs the same check in its targets,
            // Device.Net too: its host twin takes DateTime from System.Runtime, which only mscorlib's build vouches for).
            var (code, output) = Check(Path.Combine(AppContext.BaseDirectory, assembly + ".dll"), "--no-structs", "--report-value-types");
            Assert.True(code == 0, output);
            Assert.Contains("(0 in 0 methods)", output);
        }

        [Fact]
        public void No_structs_passes_enums_and_ints()
        {
            var (code, output) = Check(Snippet("EnumAndInt", EnumAndInt), "--no-structs");
            Assert.True(code == 0, output);
            Assert.Contains("no structs", output);
        }

        [Fact]
        public void No_structs_passes_an_allow_listed_start_up_method()
        {
            var (code, output) = Check(Snippet("StructAllowed", StructLocal), "--no-structs", "--struct-allow", "Snippet.Code.Sum");
            Assert.True(code == 0, output);
        }

        /// <summary>
        /// Issue 16: the assemblies that run for every message hold no struct (each instance a heap block on
        /// nanoCLR). Built from their .nfproj as the device build builds them and checked as it checks them
        /// (NFProjectSystem.CSharp.targets passes --no-structs for these four), so the host suite catches it too.
        /// </summary>
        [Theory]
        [InlineData("Device.Protocol/Device.Protocol.nfproj")]
        [InlineData("Device.Broker/Device.Broker.nfproj")]
        [InlineData("Device.Client/Device.Client.nfproj")]
        [InlineData("Device.Net/Device.Net.nfproj")]
        public void Per_message_device_assembly_has_no_struct(string project)
        {
            string dir = Path.Combine(Path.GetTempPath(), "devicecheck-" + Guid.NewGuid().ToString("N"));
            string dll = DeviceCompiler.BuildDeviceProject(project, dir);
            var (code, output) = Check(dll, "--no-structs", "--report-value-types");
            Assert.True(code == 0, output);
            Assert.Contains("(0 in 0 methods)", output);
        }

        [Fact]
        public void Report_counts_struct_locals_and_parameters_per_method()
        {
            var (code, output) = Check(Snippet("StructReport", StructLocal), "--report-value-types");
            Assert.Equal(0, code);
            Assert.Contains("1  Snippet.Code.Sum: local Snippet.Point", output);
        }

        private static string Snippet(string name, string source)
        {
            string dir = Path.Combine(Path.GetTempPath(), "devicecheck-" + Guid.NewGuid().ToString("N"));
            return DeviceCompiler.CompileSnippet(name, source, dir);
        }

        private static (int, string) Check(params string[] args)
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "DeviceCheck.dll"));
            foreach (string a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi);
            var stdout = p.StandardOutput.ReadToEndAsync();
            string stderr = p.StandardError.ReadToEnd();
            Assert.True(p.WaitForExit(60_000), "DeviceCheck did not finish");
            return (p.ExitCode, stdout.Result + stderr);
        }
    }
}
