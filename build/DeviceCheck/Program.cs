// Usage: DeviceCheck <assembly.dll> [--only-references name;name...] [--no-structs] [--report-value-types]
//        [--struct-allow Type.Member;...] [--struct-allow-file file]
// Fails (exit 1) when the assembly defines or uses a generic in any form: generic type or method
// definitions, TypeSpec/MethodSpec rows, or a generic instantiation or type variable anywhere in a field,
// method, local, property or member-reference signature. With --only-references, also fails on any
// assembly reference outside the list. The stable nanoFramework 1.x runtime crashes while loading
// such assemblies, although the compiler and the metadata processor accept them.
// --no-structs (off by default) also fails on every local, parameter, return value or field of a user-defined struct
// (ValueTypeCheck.cs), except in the allow-listed members; --report-value-types prints their count per method.
using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

if (args.Length < 1)
{
    Console.Error.WriteLine("usage: DeviceCheck <assembly.dll> [--only-references a;b;c]");
    return 2;
}

string path = args[0];
HashSet<string>? allowed = null;
bool noStructs = args.Contains("--no-structs");
bool reportValueTypes = args.Contains("--report-value-types");
string? structAllow = null, structAllowFile = null;
for (int i = 1; i < args.Length - 1; i++)
{
    if (args[i] == "--only-references")
    {
        allowed = new HashSet<string>(args[i + 1].Split(';', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
    }

    if (args[i] == "--struct-allow") structAllow = args[i + 1];
    if (args[i] == "--struct-allow-file") structAllowFile = args[i + 1];
}

using var stream = File.OpenRead(path);
using var pe = new PEReader(stream);
var md = pe.GetMetadataReader();
var problems = new List<string>();
var provider = new GenericSpotter(md);

foreach (var h in md.TypeDefinitions)
{
    var t = md.GetTypeDefinition(h);
    string name = provider.TypeName(t);
    if (t.GetGenericParameters().Count > 0) problems.Add($"generic type definition {name}");
    foreach (var fh in t.GetFields())
    {
        var f = md.GetFieldDefinition(fh);
        Check(() => f.DecodeSignature(provider, null), $"field {name}.{md.GetString(f.Name)}");
    }

    foreach (var mh in t.GetMethods())
    {
        var m = md.GetMethodDefinition(mh);
        string where = $"method {name}.{md.GetString(m.Name)}";
        if (m.GetGenericParameters().Count > 0) problems.Add($"generic method definition {where}");
        Check(() => m.DecodeSignature(provider, null), where);
        if (m.RelativeVirtualAddress != 0)
        {
            var body = pe.GetMethodBody(m.RelativeVirtualAddress);
            if (!body.LocalSignature.IsNil)
            {
                var locals = md.GetStandaloneSignature(body.LocalSignature);
                Check(() => locals.DecodeLocalSignature(provider, null), $"locals of {where}");
            }
        }
    }

    foreach (var ph in t.GetProperties())
    {
        var p = md.GetPropertyDefinition(ph);
        Check(() => p.DecodeSignature(provider, null), $"property {name}.{md.GetString(p.Name)}");
    }
}

foreach (var h in md.TypeReferences)
{
    var r = md.GetTypeReference(h);
    if (md.GetString(r.Name).Contains('`')) problems.Add($"reference to generic type {md.GetString(r.Namespace)}.{md.GetString(r.Name)}");
}

for (int row = 1; row <= md.GetTableRowCount(TableIndex.TypeSpec); row++)
{
    var spec = md.GetTypeSpecification(MetadataTokens.TypeSpecificationHandle(row));
    Check(() => spec.DecodeSignature(provider, null), $"TypeSpec row {row}");
}

for (int row = 1; row <= md.GetTableRowCount(TableIndex.MethodSpec); row++)
{
    problems.Add($"MethodSpec row {row} (a generic method instantiation)");
}

foreach (var h in md.MemberReferences)
{
    var r = md.GetMemberReference(h);
    string where = $"member reference {md.GetString(r.Name)}";
    if (r.GetKind() == MemberReferenceKind.Method) Check(() => r.DecodeMethodSignature(provider, null), where);
    else Check(() => r.DecodeFieldSignature(provider, null), where);
}

foreach (var h in md.AssemblyReferences)
{
    string name = md.GetString(md.GetAssemblyReference(h).Name);
    if (allowed != null && !allowed.Contains(name)) problems.Add($"reference to assembly {name} (allowed: {string.Join(", ", allowed)})");
}

if (noStructs || reportValueTypes)
{
    ValueTypeCheck.Run(pe, md, path, noStructs, reportValueTypes, ValueTypeCheck.Allowed(structAllow, structAllowFile), problems);
}

string asm = Path.GetFileName(path);
foreach (var p in problems.Distinct()) Console.Error.WriteLine($"{asm}: error NF0001: {p}");
if (problems.Count > 0) return 1;
Console.WriteLine($"{asm}: no generics, references ok{(noStructs ? ", no structs" : "")} ({md.TypeDefinitions.Count} types, {md.MethodDefinitions.Count} methods checked)");
return 0;

void Check(Action decode, string where)
{
    provider.Found = null;
    decode();
    if (provider.Found != null) problems.Add($"{provider.Found} in {where}");
}
