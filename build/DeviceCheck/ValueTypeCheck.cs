using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

/// <summary>
/// nanoCLR stores every instance of a user-defined struct as a heap block: a struct local, parameter, return value or
/// field allocates (docs/PLATFORM.md). This finds them: a value type that is not an enum and is defined in the checked
/// assembly or in any other assembly but mscorlib (mscorlib's own, DateTime, TimeSpan..., and primitives are fine).
/// --no-structs turns each one into an error unless its method or field is in the allow-list (start-up code);
/// --report-value-types prints how many each method has, to measure a path before and after.
/// </summary>
internal static class ValueTypeCheck
{
    public static void Run(PEReader pe, MetadataReader md, string path, bool fail, bool report, HashSet<string> allowed, List<string> problems)
    {
        var spotter = new ValueTypeSpotter(md, Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".");
        var counts = new List<(string Method, int Count, string Types)>();
        foreach (var th in md.TypeDefinitions)
        {
            var t = md.GetTypeDefinition(th);
            string typeName = spotter.DefinitionName(th);
            // The compiler's own helpers (array initialisers' <PrivateImplementationDetails>) are no user code.
            if (md.GetString(t.Name).StartsWith('<')) continue;
            foreach (var fh in t.GetFields())
            {
                var f = md.GetFieldDefinition(fh);
                if ((f.Attributes & System.Reflection.FieldAttributes.Literal) != 0) continue;
                string member = typeName + "." + md.GetString(f.Name);
                Shape type = f.DecodeSignature(spotter, null);
                if (type.Struct && fail && !allowed.Contains(member)) problems.Add($"field {member} is of struct type {type.Name} (a heap block on nanoCLR)");
            }

            foreach (var mh in t.GetMethods())
            {
                var m = md.GetMethodDefinition(mh);
                string member = typeName + "." + md.GetString(m.Name);
                var found = new List<string>();
                var sig = m.DecodeSignature(spotter, null);
                if (sig.ReturnType.Struct) found.Add("return " + sig.ReturnType.Name);
                foreach (Shape p in sig.ParameterTypes) if (p.Struct) found.Add("parameter " + p.Name);
                if (m.RelativeVirtualAddress != 0)
                {
                    var body = pe.GetMethodBody(m.RelativeVirtualAddress);
                    if (!body.LocalSignature.IsNil)
                    {
                        foreach (Shape l in md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(spotter, null))
                        {
                            if (l.Struct) found.Add("local " + l.Name);
                        }
                    }
                }

                if (found.Count == 0) continue;
                counts.Add((member, found.Count, string.Join(", ", found)));
                if (fail && !allowed.Contains(member))
                {
                    foreach (string what in found) problems.Add($"{what} in method {member} (a struct is a heap block on nanoCLR)");
                }
            }
        }

        if (report)
        {
            Console.WriteLine($"{Path.GetFileName(path)}: struct-typed locals, parameters and returns per method ({counts.Sum(c => c.Count)} in {counts.Count} methods)");
            foreach (var c in counts.OrderByDescending(c => c.Count).ThenBy(c => c.Method, StringComparer.Ordinal))
            {
                Console.WriteLine($"  {c.Count,3}  {c.Method}: {c.Types}");
            }
        }
    }

    /// <summary>Reads --struct-allow "A.B.M;A.C.F" and --struct-allow-file (one Type.Member per line, # comments).</summary>
    public static HashSet<string> Allowed(string? list, string? file)
    {
        var allowed = new HashSet<string>(StringComparer.Ordinal);
        if (list != null) foreach (string s in list.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) allowed.Add(s);
        if (file != null)
        {
            foreach (string line in File.ReadAllLines(file))
            {
                string s = line.Trim();
                if (s.Length > 0 && !s.StartsWith('#')) allowed.Add(s);
            }
        }

        return allowed;
    }
}
