using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

internal sealed class ValueTypeSpotter : ISignatureTypeProvider<Shape, object?>
{
    private const byte ValueTypeKind = 0x11;
    private readonly MetadataReader _md;
    private readonly string _dir;
    private readonly Dictionary<string, MetadataReader?> _others = new(StringComparer.Ordinal);

    public ValueTypeSpotter(MetadataReader md, string dir) { _md = md; _dir = dir; }

    public string DefinitionName(TypeDefinitionHandle h)
    {
        var t = _md.GetTypeDefinition(h);
        string ns = _md.GetString(t.Namespace);
        return (ns.Length > 0 ? ns + "." : "") + _md.GetString(t.Name);
    }

    public Shape GetTypeFromDefinition(MetadataReader r, TypeDefinitionHandle h, byte kind)
    {
        return new Shape(DefinitionName(h), kind == ValueTypeKind && !IsEnum(r, r.GetTypeDefinition(h)));
    }

    public Shape GetTypeFromReference(MetadataReader r, TypeReferenceHandle h, byte kind)
    {
        var t = r.GetTypeReference(h);
        string ns = r.GetString(t.Namespace), name = r.GetString(t.Name);
        string full = (ns.Length > 0 ? ns + "." : "") + name;
        if (kind != ValueTypeKind || t.ResolutionScope.Kind != HandleKind.AssemblyReference) return new Shape(full, false);
        string assembly = r.GetString(r.GetAssemblyReference((AssemblyReferenceHandle)t.ResolutionScope).Name);
        if (assembly == "mscorlib") return new Shape(full, false);

        // Another assembly's value type: an enum is fine; look it up beside the checked assembly, or assume a struct.
        MetadataReader? other = Other(assembly);
        if (other == null) return new Shape(full + " (from " + assembly + ", not found beside it: assumed a struct)", true);
        foreach (var dh in other.TypeDefinitions)
        {
            var d = other.GetTypeDefinition(dh);
            if (other.GetString(d.Name) == name && other.GetString(d.Namespace) == ns) return new Shape(full, !IsEnum(other, d));
        }

        return new Shape(full, true);
    }

    private MetadataReader? Other(string assembly)
    {
        if (_others.TryGetValue(assembly, out var known)) return known;
        string file = Path.Combine(_dir, assembly + ".dll");
        MetadataReader? reader = File.Exists(file) ? new PEReader(File.OpenRead(file)).GetMetadataReader() : null;
        _others[assembly] = reader;
        return reader;
    }

    private static bool IsEnum(MetadataReader r, TypeDefinition d)
    {
        if (d.BaseType.IsNil || d.BaseType.Kind != HandleKind.TypeReference) return false;
        var b = r.GetTypeReference((TypeReferenceHandle)d.BaseType);
        return r.GetString(b.Namespace) == "System" && r.GetString(b.Name) == "Enum";
    }

    public Shape GetPrimitiveType(PrimitiveTypeCode t) => new Shape(t.ToString(), false);
    public Shape GetSZArrayType(Shape e) => new Shape(e.Name + "[]", false);
    public Shape GetArrayType(Shape e, ArrayShape s) => new Shape(e.Name + "[,]", false);
    public Shape GetByReferenceType(Shape e) => new Shape(e.Name + "&", e.Struct);
    public Shape GetPointerType(Shape e) => new Shape(e.Name + "*", false);
    public Shape GetPinnedType(Shape e) => e;
    public Shape GetModifiedType(Shape m, Shape u, bool r) => u;
    public Shape GetFunctionPointerType(MethodSignature<Shape> s) => new Shape("fnptr", false);
    public Shape GetGenericInstantiation(Shape g, ImmutableArray<Shape> a) => new Shape(g.Name + "<...>", g.Struct);
    public Shape GetGenericMethodParameter(object? c, int i) => new Shape("!!" + i, false);
    public Shape GetGenericTypeParameter(object? c, int i) => new Shape("!" + i, false);
    public Shape GetTypeFromSpecification(MetadataReader r, object? c, TypeSpecificationHandle h, byte k) => r.GetTypeSpecification(h).DecodeSignature(this, c);
}
