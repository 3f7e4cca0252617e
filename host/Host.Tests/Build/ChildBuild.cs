using System.Diagnostics;

namespace Host.Tests
{
    /// <summary>
    /// A child build or script run from a test (the package tests' `dotnet pack`, pack.sh), with the test host's own
    /// MSBuild settings removed from its environment so they do not leak into the child's builds.
    /// </summary>
    internal static class ChildBuild
    {
        /// <summary>Runs FILE ARGS in DIRECTORY to its end: the exit code and everything it printed.</summary>
        public static (int, string) Run(string directory, string file, params string[] args)
        {
            var psi = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in args)
            {
                psi.ArgumentList.Add(a);
            }

            psi.Environment.Remove("MSBuildExtensionsPath");
            psi.Environment.Remove("MSBuildSDKsPath");
            psi.Environment.Remove("MSBUILD_EXE_PATH");
            using Process p = Process.Start(psi);
            var stdout = p.StandardOutput.ReadToEndAsync();
            string stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, stdout.Result + stderr);
        }
    }
}
