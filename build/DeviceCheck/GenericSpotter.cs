using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

sealed class GenericSpotter : ISignatureTypeProvider<string, object?>
{
    private readonly MetadataReader _md;
    public string? Found;
    public GenericSpotter(MetadataReader md) { _md = md; }

    public string TypeName(TypeDefinition t) => _md.GetString(t.Namespace) + "." + _md.GetString(t.Name);
    public string GetArrayType(string e, ArrayShape s) => e + "[,]";
    public string GetByReferenceType(string e) => e + "&";
    public string GetFunctionPointerType(MethodSignature<string> s) => "fnptr";
    public string GetGenericInstantiation(string g, ImmutableArray<string> a)
    {
        string name = g + "<" + string.Join(",", a) + ">";
        Found ??= "generic instantiation " + name;
        return name;
    }
    public string GetGenericMethodParameter(object? c, int i) { Found ??= "generic method parameter !!" + i; return "!!" + i; }
    public string GetGenericTypeParameter(object? c, int i) { Found ??= "generic type parameter !" + i; return "!" + i; }
    public string GetModifiedType(string m, string u, bool r) => u;
    public string GetPinnedType(string e) => e;
    public string GetPointerType(string e) => e + "*";
    public string GetPrimitiveType(PrimitiveTypeCode t) => t.ToString();
    public string GetSZArrayType(string e) => e + "[]";
    public string GetTypeFromDefinition(MetadataReader r, TypeDefinitionHandle h, byte k) => TypeName(r.GetTypeDefinition(h));
    public string GetTypeFromReference(MetadataReader r, TypeReferenceHandle h, byte k)
    {
        var t = r.GetTypeReference(h);
        return r.GetString(t.Namespace) + "." + r.GetString(t.Name);
    }
    public string GetTypeFromSpecification(MetadataReader r, object? c, TypeSpecificationHandle h, byte k) => r.GetTypeSpecification(h).DecodeSignature(this, c);
}
