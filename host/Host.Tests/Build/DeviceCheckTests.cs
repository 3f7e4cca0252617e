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
