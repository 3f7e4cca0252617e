using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;

namespace Host.Tests
{
    /// <summary>
    /// Walks compiled methods from a root, following every call, callvirt and newobj whose target is in one of the
    /// given assemblies, and lists each place that makes an instance of a user-defined value type (a struct of
    /// those assemblies, not an enum): struct locals (ldloca of them included), by-value struct parameters and
    /// returns, newobj/initobj/box/ldobj/stobj of a struct, struct-typed fields read or written, and calls that
    /// return a struct. On nanoCLR each of them is a heap block (docs/ARCHITECTURE.md, "What a routed message executes").
    /// </summary>
    internal static class IlWalk
    {
        private static readonly Dictionary<short, OpCode> Codes = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (OpCode)f.GetValue(null)).ToDictionary(o => o.Value);

        public sealed class Result
        {
            public readonly List<string> ValueTypeSites = new List<string>();
            public readonly HashSet<string> Visited = new HashSet<string>(StringComparer.Ordinal);
            public readonly List<string> Unfollowed = new List<string>();
        }

        public static Result Walk(MethodBase root, params Assembly[] ours)
        {
            var result = new Result();
            var queue = new Queue<MethodBase>();
            var seen = new HashSet<MethodBase>();
            queue.Enqueue(root);
            seen.Add(root);
            while (queue.Count > 0)
            {
                MethodBase m = queue.Dequeue();
                string name = Name(m);
                result.Visited.Add(name);
                Signature(m, ours, result.ValueTypeSites, name);
                MethodBody body = m.GetMethodBody();
                if (body == null)
                {
                    if (m.IsAbstract)
                    {
                        result.Unfollowed.Add(name + " (abstract: its implementations are not followed)");
                    }

                    continue;
                }

                foreach (LocalVariableInfo l in body.LocalVariables)
                {
                    if (IsStruct(l.LocalType, ours))
                    {
                        result.ValueTypeSites.Add($"{name}: local {l.LocalIndex} of type {l.LocalType.Name}");
                    }
                }

                foreach (var (code, token) in Instructions(body.GetILAsByteArray()))
                {
                    if (token == 0)
                    {
                        continue;
                    }

                    Module module = m.Module;
                    Type[] typeArgs = m.DeclaringType != null && m.DeclaringType.IsGenericType ? m.DeclaringType.GetGenericArguments() : null;
                    if (code == OpCodes.Call || code == OpCodes.Callvirt || code == OpCodes.Newobj)
                    {
                        MethodBase target = module.ResolveMethod(token, typeArgs, null);
                        if (code == OpCodes.Newobj && IsStruct(target.DeclaringType, ours))
                        {
                            result.ValueTypeSites.Add($"{name}: newobj {target.DeclaringType.Name}");
                        }

                        if (target is MethodInfo mi && IsStruct(mi.ReturnType, ours))
                        {
                            result.ValueTypeSites.Add($"{name}: call {Name(target)} returns {mi.ReturnType.Name}");
                        }

                        if (ours.Contains(target.DeclaringType.Assembly) && seen.Add(target))
                        {
                            queue.Enqueue(target);
                        }
                    }
                    else if (code == OpCodes.Initobj || code == OpCodes.Box || code == OpCodes.Ldobj || code == OpCodes.Stobj
                        || code == OpCodes.Newarr || code == OpCodes.Cpobj)
                    {
                        Type t = module.ResolveType(token, typeArgs, null);
                        if (IsStruct(t, ours))
                        {
                            result.ValueTypeSites.Add($"{name}: {code.Name} {t.Name}");
                        }
                    }
                    else if (code == OpCodes.Ldfld || code == OpCodes.Ldflda || code == OpCodes.Stfld || code == OpCodes.Ldsfld
                        || code == OpCodes.Ldsflda || code == OpCodes.Stsfld)
                    {
                        FieldInfo f = module.ResolveField(token, typeArgs, null);
                        if (IsStruct(f.FieldType, ours))
                        {
                            result.ValueTypeSites.Add($"{name}: {code.Name} {f.DeclaringType.Name}.{f.Name} of type {f.FieldType.Name}");
                        }
                    }
                }
            }

            return result;
        }

        private static void Signature(MethodBase m, Assembly[] ours, List<string> sites, string name)
        {
            if (m is MethodInfo mi && IsStruct(mi.ReturnType, ours))
            {
                sites.Add($"{name}: returns {mi.ReturnType.Name}");
            }

            foreach (ParameterInfo p in m.GetParameters())
            {
                Type t = p.ParameterType;
                if (IsStruct(t.IsByRef ? t.GetElementType() : t, ours))
                {
                    sites.Add($"{name}: parameter {p.Name} of type {t.Name}");
                }
            }
        }

        public static bool IsStruct(Type t, Assembly[] ours)
        {
            if (t == null)
            {
                return false;
            }

            if (t.IsByRef || t.IsArray)
            {
                return IsStruct(t.GetElementType(), ours);
            }

            return t.IsValueType && !t.IsEnum && !t.IsPrimitive && ours.Contains(t.Assembly);
        }

        private static string Name(MethodBase m)
        {
            return m.DeclaringType.Name + "." + m.Name;
        }

        /// <summary>The opcodes of an IL body with their metadata token (0 when the operand is not a token).</summary>
        private static IEnumerable<(OpCode, int)> Instructions(byte[] il)
        {
            int pos = 0;
            while (pos < il.Length)
            {
                short value = il[pos] == 0xFE ? (short)(0xFE00 | il[pos + 1]) : il[pos];
                pos += il[pos] == 0xFE ? 2 : 1;
                OpCode code = Codes[value];
                int token = 0;
                switch (code.OperandType)
                {
                    case OperandType.InlineField:
                    case OperandType.InlineMethod:
                    case OperandType.InlineType:
                    case OperandType.InlineTok:
                        token = BitConverter.ToInt32(il, pos);
                        pos += 4;
                        break;
                    case OperandType.InlineNone:
                        break;
                    case OperandType.ShortInlineBrTarget:
                    case OperandType.ShortInlineI:
                    case OperandType.ShortInlineVar:
                        pos += 1;
                        break;
                    case OperandType.InlineVar:
                        pos += 2;
                        break;
                    case OperandType.InlineI8:
                    case OperandType.InlineR:
                        pos += 8;
                        break;
                    case OperandType.InlineSwitch:
                        int n = BitConverter.ToInt32(il, pos);
                        pos += 4 + 4 * n;
                        break;
                    default:
                        pos += 4;
                        break;
                }

                if (code.OperandType == OperandType.InlineTok)
                {
                    token = 0;
                }

                yield return (code, token);
            }
        }
    }
}
