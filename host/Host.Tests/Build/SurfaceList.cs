using System;
using System.Collections.Generic;
using System.Linq;

namespace Host.Tests
{
    /// <summary>A surface.txt: its lines (comments and blanks dropped) and how two of them differ.</summary>
    internal static class SurfaceList
    {
        public static List<string> Parse(IEnumerable<string> fileLines)
        {
            return fileLines.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("#", StringComparison.Ordinal)).ToList();
        }

        /// <summary>
        /// null when equal: the same lines (in any order), and each enum's values in the same order. Otherwise the
        /// lines only the list has ("- "), only the assembly has ("+ "), and enums whose order differs.
        /// </summary>
        public static string Difference(List<string> expected, List<string> actual)
        {
            var problems = new List<string>();
            foreach (string line in Minus(expected, actual)) problems.Add("- " + line + "   (in the list, not in the stand-in)");
            foreach (string line in Minus(actual, expected)) problems.Add("+ " + line + "   (in the stand-in, not in the list)");

            foreach (string type in expected.Concat(actual).Where(l => l.Contains(": value ", StringComparison.Ordinal))
                .Select(l => l.Substring(0, l.IndexOf(": value ", StringComparison.Ordinal))).Distinct())
            {
                var want = Values(expected, type);
                var have = Values(actual, type);
                if (want.Count == have.Count && !want.SequenceEqual(have))
                {
                    problems.Add("enum " + type + ": values in order " + string.Join(", ", have) + ", expected " + string.Join(", ", want));
                }
            }

            return problems.Count == 0 ? null : string.Join(Environment.NewLine, problems);
        }

        private static List<string> Values(List<string> lines, string type)
        {
            string prefix = type + ": value ";
            return lines.Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).Select(l => l.Substring(prefix.Length)).ToList();
        }

        private static IEnumerable<string> Minus(List<string> a, List<string> b)
        {
            var left = b.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
            foreach (string line in a)
            {
                if (left.TryGetValue(line, out int n) && n > 0) left[line] = n - 1;
                else yield return line;
            }
        }
    }
}
