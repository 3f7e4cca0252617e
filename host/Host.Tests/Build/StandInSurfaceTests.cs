using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// Every API stand-in under build/nanoFramework/stand-ins/ must have the public surface of the real nanoFramework
    /// package: its surface.txt is taken from the real sources (repository and commits in its header), and the stand-in,
    /// built from its .nfproj the way the device build compiles it, is read by reflection and compared line by line.
    /// A member added, removed or changed on either side, or an enum value moved, fails here.
    /// </summary>
    public class StandInSurfaceTests
    {
        private static readonly string BuildDir = Path.Combine(Path.GetTempPath(), "standin-surface-" + Guid.NewGuid().ToString("N"));

        public static IEnumerable<object[]> StandIns()
        {
            return Directory.GetDirectories(DeviceCompiler.StandInsDir)
                .Select(Path.GetFileName)
                .Where(n => File.Exists(Path.Combine(DeviceCompiler.StandInsDir, n, n + ".nfproj")))
                .OrderBy(n => n, StringComparer.Ordinal)
                .Select(n => new object[] { n });
        }

        [Theory]
        [MemberData(nameof(StandIns))]
        public void Stand_in_surface_matches_the_list_taken_from_the_real_sources(string standIn)
        {
            string listPath = Path.Combine(DeviceCompiler.StandInsDir, standIn, "surface.txt");
            Assert.True(File.Exists(listPath), standIn + " has no surface.txt (take one from the real package's sources)");
            string[] file = File.ReadAllLines(listPath);
            Assert.True(file.Any(l => l.StartsWith("# Source: ", StringComparison.Ordinal)), listPath + " must name its source repository and commit(s) in a '# Source:' header line");

            List<string> expected = SurfaceList.Parse(file);
            string dll = DeviceCompiler.BuildStandIn(standIn, BuildDir);
            List<string> actual = SurfaceReader.Read(dll, Directory.GetFiles(BuildDir, "*.dll"));

            string difference = SurfaceList.Difference(expected, actual);
            Assert.True(difference == null, standIn + " differs from " + listPath + ":" + Environment.NewLine + difference);
        }

        [Fact]
        public void A_drifted_surface_is_reported()
        {
            var expected = new List<string> { "type A: enum int", "A: value X = 0", "A: value Y = 1", "type B: class", "B: method void M()" };
            Assert.Null(SurfaceList.Difference(expected, new List<string>(expected)));

            var swapped = new List<string> { "type A: enum int", "A: value Y = 1", "A: value X = 0", "type B: class", "B: method void M()" };
            Assert.Contains("enum A: values in order", SurfaceList.Difference(expected, swapped));

            var changed = new List<string> { "type A: enum int", "A: value X = 0", "A: value Y = 1", "type B: class", "B: method void M(int a)" };
            string why = SurfaceList.Difference(expected, changed);
            Assert.Contains("- B: method void M()", why);
            Assert.Contains("+ B: method void M(int a)", why);
        }
    }
}
