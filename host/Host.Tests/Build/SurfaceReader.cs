using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace Host.Tests
{
    /// <summary>
    /// Reads the public surface of a device assembly by reflection (MetadataLoadContext, with the nanoFramework mscorlib
    /// as core library) as the lines of a surface.txt: one for the assembly, one per type, one per public or protected
    /// member, enum values in declaration order. The format is documented at the top of every surface.txt.
    /// </summary>
    internal static class SurfaceReader
    {
        private static readonly Dictionary<string, string> Keywords = new Dictionary<string, string>
        {
            ["System.Void"] = "void", ["System.Boolean"] = "bool", ["System.Byte"] = "byte", ["System.SByte"] = "sbyte",
            ["System.Char"] = "char", ["System.Int16"] = "short", ["System.UInt16"] = "ushort", ["System.Int32"] = "int",
            ["System.UInt32"] = "uint", ["System.Int64"] = "long", ["System.UInt64"] = "ulong", ["System.Single"] = "float",
            ["System.Double"] = "double", ["System.String"] = "string", ["System.Object"] = "object",
        };

        private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance
            | BindingFlags.Static | BindingFlags.DeclaredOnly;

        public static List<string> Read(string assemblyPath, IEnumerable<string> otherAssemblies)
        {
            var paths = new[] { DeviceCompiler.Mscorlib, assemblyPath }.Concat(otherAssemblies).Distinct().ToList();
            using var context = new MetadataLoadContext(new PathAssemblyResolver(paths), "mscorlib");
            Assembly assembly = context.LoadFromAssemblyPath(assemblyPath);
            var lines = new List<string> { "assembly " + assembly.GetName().Name + " " + assembly.GetName().Version };
            foreach (Type t in assembly.GetTypes().Where(t => t.IsPublic).OrderBy(t => t.FullName, StringComparer.Ordinal))
            {
                lines.Add("type " + TypeLine(t));
                lines.AddRange(Members(t));
            }

            return lines;
        }

        private static string TypeLine(Type t)
        {
            if (t.IsEnum)
            {
                bool flags = t.CustomAttributes.Any(a => a.AttributeType.FullName == "System.FlagsAttribute");
                return t.FullName + ": " + (flags ? "[Flags] " : "") + "enum " + Name(Enum.GetUnderlyingType(t));
            }

            if (t.BaseType != null && t.BaseType.FullName == "System.MulticastDelegate")
            {
                MethodInfo invoke = t.GetMethod("Invoke");
                return t.FullName + ": delegate " + Name(invoke.ReturnType) + " (" + Parameters(invoke) + ")";
            }

            string kind = t.IsInterface ? "interface" : t.IsValueType ? "struct"
                : t.IsAbstract && t.IsSealed ? "static class" : t.IsAbstract ? "abstract class" : t.IsSealed ? "sealed class" : "class";
            string line = t.FullName + ": " + kind;
            if (!t.IsValueType && !t.IsInterface && t.BaseType != null && t.BaseType.FullName != "System.Object")
            {
                line += " : " + Name(t.BaseType);
            }

            var interfaces = t.GetInterfaces().Select(Name).OrderBy(n => n, StringComparer.Ordinal).ToList();
            if (interfaces.Count > 0) line += " implements " + string.Join(", ", interfaces);
            return line;
        }

        private static IEnumerable<string> Members(Type t)
        {
            string prefix = t.FullName + ": ";
            if (t.IsEnum)
            {
                foreach (FieldInfo f in t.GetFields(BindingFlags.Public | BindingFlags.Static))
                {
                    yield return prefix + "value " + f.Name + " = " + Convert.ToInt64(f.GetRawConstantValue());
                }

                yield break;
            }

            if (t.BaseType != null && t.BaseType.FullName == "System.MulticastDelegate") yield break;

            var members = new List<string>();
            foreach (ConstructorInfo c in t.GetConstructors(Declared).Where(c => Visible(c) && !c.IsStatic))
            {
                members.Add(prefix + Access(c) + "ctor(" + Parameters(c) + ")");
            }

            foreach (MethodInfo m in t.GetMethods(Declared).Where(m => Visible(m) && (!m.IsSpecialName || m.Name.StartsWith("op_"))))
            {
                if (m.Name == "Finalize" && m.GetParameters().Length == 0) continue;
                members.Add(prefix + Access(m) + (m.IsStatic ? "static " : "") + Virtuality(m) + "method " + Name(m.ReturnType) + " "
                    + m.Name + "(" + Parameters(m) + ")");
            }

            foreach (PropertyInfo p in t.GetProperties(Declared))
            {
                MethodInfo get = p.GetMethod != null && Visible(p.GetMethod) ? p.GetMethod : null;
                MethodInfo set = p.SetMethod != null && Visible(p.SetMethod) ? p.SetMethod : null;
                MethodInfo any = get ?? set;
                if (any == null) continue;
                members.Add(prefix + Access(any) + (any.IsStatic ? "static " : "") + Virtuality(any) + "property " + Name(p.PropertyType) + " "
                    + p.Name + " {" + (get != null ? " get;" : "") + (set != null ? " set;" : "") + " }");
            }

            foreach (FieldInfo f in t.GetFields(Declared).Where(f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly))
            {
                string modifiers = f.IsLiteral ? "const " : (f.IsStatic ? "static " : "") + (f.IsInitOnly ? "readonly " : "");
                string value = f.IsLiteral ? " = " + Literal(f.GetRawConstantValue()) : "";
                members.Add(prefix + (f.IsPublic ? "" : "protected ") + modifiers + "field " + Name(f.FieldType) + " " + f.Name + value);
            }

            foreach (EventInfo e in t.GetEvents(Declared))
            {
                MethodInfo add = e.AddMethod;
                if (add == null || !Visible(add)) continue;
                members.Add(prefix + Access(add) + (add.IsStatic ? "static " : "") + "event " + Name(e.EventHandlerType) + " " + e.Name);
            }

            members.Sort(StringComparer.Ordinal);
            foreach (string m in members) yield return m;
        }

        private static bool Visible(MethodBase m) => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly;

        private static string Access(MethodBase m) => m.IsPublic ? "" : "protected ";

        private static string Virtuality(MethodInfo m)
        {
            if (m.IsAbstract) return "abstract ";
            if (!m.IsVirtual || m.IsFinal) return "";
            // (MetadataLoadContext has no GetBaseDefinition: a new vtable slot is a virtual, a reused one an override.)
            return (m.Attributes & MethodAttributes.NewSlot) != 0 ? "virtual " : "override ";
        }

        private static string Parameters(MethodBase m)
        {
            return string.Join(", ", m.GetParameters().Select(p =>
            {
                string type = p.ParameterType.IsByRef ? (p.IsOut ? "out " : "ref ") + Name(p.ParameterType.GetElementType()) : Name(p.ParameterType);
                bool isParams = p.CustomAttributes.Any(a => a.AttributeType.FullName == "System.ParamArrayAttribute");
                string text = (isParams ? "params " : "") + type + " " + p.Name;
                if (p.HasDefaultValue) text += " = " + Default(p);
                return text;
            }));
        }

        private static string Default(ParameterInfo p)
        {
            object value = p.RawDefaultValue;
            Type type = p.ParameterType;
            if (type.IsEnum)
            {
                FieldInfo named = type.GetFields(BindingFlags.Public | BindingFlags.Static)
                    .FirstOrDefault(f => Equals(Convert.ToInt64(f.GetRawConstantValue()), Convert.ToInt64(value)));
                return named != null ? Name(type) + "." + named.Name : "(" + Name(type) + ")" + value;
            }

            if (value == null && type.IsValueType) return "default";
            return Literal(value);
        }

        private static string Literal(object value)
        {
            switch (value)
            {
                case null: return "null";
                case string s: return "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
                case bool b: return b ? "true" : "false";
                case char c: return "'" + c + "'";
                default: return Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        private static string Name(Type t)
        {
            if (t.IsArray) return Name(t.GetElementType()) + "[]";
            string full = t.FullName ?? t.Name;
            return Keywords.TryGetValue(full, out string keyword) ? keyword : full;
        }
    }
}
