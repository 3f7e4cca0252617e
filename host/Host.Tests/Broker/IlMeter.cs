using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using dnlib.DotNet;
using dnlib.DotNet.Emit;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Host.Tests
{
    /// <summary>
    /// Counts what the engine executes, at the IL level, the way an interpreter pays for it: nanoCLR interprets IL
    /// one instruction at a time, so IL instructions and calls executed are the host's closest stand-in for the
    /// board's cost (the JIT makes wall time meaningless for that). Device.Protocol and Device.Broker are compiled
    /// from their sources in Release (as the board build is), every IL instruction of every method gets a counter
    /// in front of it (dnlib), and the instrumented pair is loaded into a load context of its own together with this
    /// test assembly, whose <see cref="RoutingDriver"/> then runs against the instrumented copies. Counted per step:
    /// IL instructions executed in our two assemblies; calls and newobj executed there (including calls out to
    /// mscorlib, whose own instructions are not counted); and value-type instances of our own structs as nanoCLR
    /// makes them (struct locals and by-value struct parameters on each method entry, newobj/initobj/box/ldobj of a
    /// struct, struct-typed field loads, calls returning a struct).
    /// </summary>
    internal static class IlMeter
    {
        public sealed class Counts
        {
            public long Instructions;
            public long Calls;
            public long ValueTypes;

            /// <summary>IL instructions executed per step by each method that ran ("Type.Method"), most first.</summary>
            public KeyValuePair<string, long>[] ByMethod = new KeyValuePair<string, long>[0];
        }

        private static readonly string[] Assemblies = { "Device.Protocol", "Device.Broker" };

        /// <summary>Runs setup once, then measures step (a method of the driver) averaged over repeat runs after one warm-up.</summary>
        public static Counts Measure(Type driverType, string step, string after, int repeat)
        {
            var images = Build();
            var context = new MeterContext(images);
            try
            {
                Assembly driverAssembly = context.LoadFromAssemblyPath(driverType.Assembly.Location);
                Type driver = driverAssembly.GetType(driverType.FullName, true);
                object instance = Activator.CreateInstance(driver);
                MethodInfo run = driver.GetMethod(step);
                MethodInfo settle = after == null ? null : driver.GetMethod(after);
                var counters = Assemblies.Select(n => context.LoadFromAssemblyName(new AssemblyName(n)).GetType("IlMeter.Counters", true)).ToArray();
                long[][] perMethod = counters.Select(t => (long[])t.GetField("PerMethod").GetValue(null)).ToArray();

                run.Invoke(instance, null);
                settle?.Invoke(instance, new object[] { 0 });
                Reset(counters);
                foreach (long[] a in perMethod)
                {
                    Array.Clear(a);
                }

                for (int i = 0; i < repeat; i++)
                {
                    run.Invoke(instance, null);
                    // The settle step (the transport draining) must not be counted: read before, restore after.
                    long[] kept = Read(counters);
                    long[][] keptPerMethod = perMethod.Select(a => (long[])a.Clone()).ToArray();
                    settle?.Invoke(instance, new object[] { 0 });
                    Write(counters, kept);
                    for (int k = 0; k < perMethod.Length; k++)
                    {
                        Array.Copy(keptPerMethod[k], perMethod[k], perMethod[k].Length);
                    }
                }

                long[] total = Read(counters);
                var byMethod = new List<KeyValuePair<string, long>>();
                for (int k = 0; k < perMethod.Length; k++)
                {
                    for (int m = 0; m < perMethod[k].Length; m++)
                    {
                        if (perMethod[k][m] > 0)
                        {
                            byMethod.Add(new KeyValuePair<string, long>(images.Names[Assemblies[k]][m], perMethod[k][m] / repeat));
                        }
                    }
                }

                return new Counts
                {
                    Instructions = total[0] / repeat, Calls = total[1] / repeat, ValueTypes = total[2] / repeat,
                    ByMethod = byMethod.OrderByDescending(kv => kv.Value).ToArray(),
                };
            }
            finally
            {
                context.Unload();
            }
        }

        private static readonly string[] Fields = { "Instructions", "Calls", "ValueTypes" };

        private static void Reset(Type[] counters)
        {
            Write(counters, new long[3]);
        }

        private static long[] Read(Type[] counters)
        {
            var r = new long[3];
            for (int f = 0; f < 3; f++)
            {
                foreach (Type t in counters)
                {
                    r[f] += (long)t.GetField(Fields[f]).GetValue(null);
                }
            }

            return r;
        }

        private static void Write(Type[] counters, long[] values)
        {
            for (int f = 0; f < 3; f++)
            {
                for (int i = 0; i < counters.Length; i++)
                {
                    // The whole sum goes into the first assembly's counter.
                    counters[i].GetField(Fields[f]).SetValue(null, i == 0 ? values[f] : 0L);
                }
            }
        }

        // ---- Release build of the device sources ---------------------------------------------------------

        private sealed class Images
        {
            public Dictionary<string, byte[]> Code = new Dictionary<string, byte[]>();

            /// <summary>Per assembly, the method behind each index of its PerMethod counter array.</summary>
            public Dictionary<string, List<string>> Names = new Dictionary<string, List<string>>();
        }

        private static Images Build()
        {
            string root = RepoRoot();
            var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")).Split(Path.PathSeparator)
                .Where(p => !Assemblies.Contains(Path.GetFileNameWithoutExtension(p)))
                .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
            var compiled = new Dictionary<string, byte[]>();
            var structs = new HashSet<string>(StringComparer.Ordinal);
            foreach (string name in Assemblies)
            {
                string version = Assembly.Load(name).GetName().Version.ToString();
                var trees = Directory.GetFiles(Path.Combine(root, name), "*.cs", SearchOption.AllDirectories)
                    .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar)
                        && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar))
                    .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), new CSharpParseOptions(LanguageVersion.CSharp9), f))
                    .ToList();
                trees.Add(CSharpSyntaxTree.ParseText("[assembly: System.Reflection.AssemblyVersion(\"" + version + "\")]", new CSharpParseOptions(LanguageVersion.CSharp9)));
                var compilation = CSharpCompilation.Create(name, trees, references,
                    new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));
                using var ms = new MemoryStream();
                var result = compilation.Emit(ms);
                if (!result.Success)
                {
                    throw new InvalidOperationException(string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
                }

                compiled[name] = ms.ToArray();
                references.Add(MetadataReference.CreateFromImage(compiled[name]));
                foreach (TypeDef t in ModuleDefMD.Load(compiled[name]).GetTypes())
                {
                    if (t.IsValueType && !t.IsEnum)
                    {
                        structs.Add(t.FullName);
                    }
                }
            }

            var images = new Images();
            foreach (var kv in compiled)
            {
                var names = new List<string>();
                images.Code[kv.Key] = Instrument(kv.Value, structs, names);
                images.Names[kv.Key] = names;
            }

            return images;
        }

        internal static string RepoRoot([System.Runtime.CompilerServices.CallerFilePath] string here = "")
        {
            string dir = Path.GetDirectoryName(here);
            while (dir != null && !File.Exists(Path.Combine(dir, "nfproj.sln")))
            {
                dir = Path.GetDirectoryName(dir);
            }

            return dir ?? throw new InvalidOperationException("repository root not found");
        }

        // ---- Instrumentation ------------------------------------------------------------------------------

        private static byte[] Instrument(byte[] image, HashSet<string> structs, List<string> names)
        {
            ModuleDefMD module = ModuleDefMD.Load(image);
            var counters = new TypeDefUser("IlMeter", "Counters", module.CorLibTypes.Object.TypeDefOrRef)
            {
                Attributes = dnlib.DotNet.TypeAttributes.Public | dnlib.DotNet.TypeAttributes.Abstract | dnlib.DotNet.TypeAttributes.Sealed,
            };
            var types = module.GetTypes().ToList();
            module.Types.Add(counters);
            FieldDef Counter(string name)
            {
                var f = new FieldDefUser(name, new FieldSig(module.CorLibTypes.Int64), dnlib.DotNet.FieldAttributes.Public | dnlib.DotNet.FieldAttributes.Static);
                counters.Fields.Add(f);
                return f;
            }

            FieldDef instructions = Counter("Instructions"), calls = Counter("Calls"), valueTypes = Counter("ValueTypes");
            var perMethod = new FieldDefUser("PerMethod", new FieldSig(new SZArraySig(module.CorLibTypes.Int64)),
                dnlib.DotNet.FieldAttributes.Public | dnlib.DotNet.FieldAttributes.Static);
            counters.Fields.Add(perMethod);
            bool IsStruct(TypeSig t) => t != null && t.RemovePinnedAndModifiers() is ValueTypeSig v && structs.Contains(v.FullName);
            bool TypeIsStruct(ITypeDefOrRef t) => t != null && structs.Contains(t.FullName);

            foreach (TypeDef type in types)
            {
                foreach (MethodDef m in type.Methods)
                {
                    if (!m.HasBody)
                    {
                        continue;
                    }

                    int index = names.Count;
                    names.Add(type.Name + "." + m.Name);
                    CilBody body = m.Body;
                    body.SimplifyBranches();
                    body.SimplifyMacros(m.Parameters);
                    var original = body.Instructions.ToList();
                    var result = new List<Instruction>(original.Count * 6);
                    int entry = body.Variables.Count(v => IsStruct(v.Type)) + m.Parameters.Count(p => !p.IsHiddenThisParameter && IsStruct(p.Type));
                    if (entry > 0)
                    {
                        Add(result, valueTypes, entry);
                    }

                    for (int i = 0; i < original.Count; i++)
                    {
                        Instruction ins = original[i];
                        // A prefix and its instruction stay adjacent: one counter in front of both.
                        bool prefix = ins.OpCode.OpCodeType == OpCodeType.Prefix && i + 1 < original.Count;
                        Instruction next = prefix ? original[i + 1] : null;
                        var copy = new Instruction(ins.OpCode, ins.Operand);
                        long creates = Creates(ins, TypeIsStruct, IsStruct) + (next != null ? Creates(next, TypeIsStruct, IsStruct) : 0);
                        bool call = IsCall(ins) || (next != null && IsCall(next));

                        // Branches and handlers point at the original object: it becomes the counter's first instruction.
                        ins.OpCode = OpCodes.Ldsfld;
                        ins.Operand = instructions;
                        result.Add(ins);
                        result.Add(Instruction.Create(OpCodes.Ldc_I4, prefix ? 2 : 1));
                        result.Add(Instruction.Create(OpCodes.Conv_I8));
                        result.Add(Instruction.Create(OpCodes.Add));
                        result.Add(Instruction.Create(OpCodes.Stsfld, instructions));
                        // PerMethod[index] += the same.
                        result.Add(Instruction.Create(OpCodes.Ldsfld, perMethod));
                        result.Add(Instruction.Create(OpCodes.Ldc_I4, index));
                        result.Add(Instruction.Create(OpCodes.Ldelema, module.CorLibTypes.Int64.TypeDefOrRef));
                        result.Add(Instruction.Create(OpCodes.Dup));
                        result.Add(Instruction.Create(OpCodes.Ldind_I8));
                        result.Add(Instruction.Create(OpCodes.Ldc_I4, prefix ? 2 : 1));
                        result.Add(Instruction.Create(OpCodes.Conv_I8));
                        result.Add(Instruction.Create(OpCodes.Add));
                        result.Add(Instruction.Create(OpCodes.Stind_I8));
                        if (call)
                        {
                            Add(result, calls, 1);
                        }

                        if (creates > 0)
                        {
                            Add(result, valueTypes, creates);
                        }

                        result.Add(copy);
                        if (next != null)
                        {
                            result.Add(next);
                            i++;
                        }
                    }

                    body.Instructions.Clear();
                    foreach (Instruction x in result)
                    {
                        body.Instructions.Add(x);
                    }

                    body.OptimizeMacros();
                    body.OptimizeBranches();
                }
            }

            // The counters' class constructor sizes PerMethod: one slot per instrumented method.
            var cctor = new MethodDefUser(".cctor", MethodSig.CreateStatic(module.CorLibTypes.Void),
                dnlib.DotNet.MethodAttributes.Private | dnlib.DotNet.MethodAttributes.Static | dnlib.DotNet.MethodAttributes.SpecialName
                | dnlib.DotNet.MethodAttributes.RTSpecialName | dnlib.DotNet.MethodAttributes.HideBySig);
            cctor.Body = new CilBody();
            cctor.Body.Instructions.Add(Instruction.Create(OpCodes.Ldc_I4, names.Count));
            cctor.Body.Instructions.Add(Instruction.Create(OpCodes.Newarr, module.CorLibTypes.Int64.TypeDefOrRef));
            cctor.Body.Instructions.Add(Instruction.Create(OpCodes.Stsfld, perMethod));
            cctor.Body.Instructions.Add(Instruction.Create(OpCodes.Ret));
            counters.Methods.Add(cctor);

            using var ms = new MemoryStream();
            module.Write(ms);
            return ms.ToArray();
        }

        private static void Add(List<Instruction> to, FieldDef counter, long n)
        {
            to.Add(Instruction.Create(OpCodes.Ldsfld, counter));
            to.Add(Instruction.Create(OpCodes.Ldc_I8, n));
            to.Add(Instruction.Create(OpCodes.Add));
            to.Add(Instruction.Create(OpCodes.Stsfld, counter));
        }

        private static bool IsCall(Instruction ins)
        {
            return ins.OpCode.Code == Code.Call || ins.OpCode.Code == Code.Callvirt || ins.OpCode.Code == Code.Newobj;
        }

        private static long Creates(Instruction ins, Func<ITypeDefOrRef, bool> typeIsStruct, Func<TypeSig, bool> isStruct)
        {
            switch (ins.OpCode.Code)
            {
                case Code.Newobj:
                    return ins.Operand is IMethod ctor && typeIsStruct(ctor.DeclaringType) ? 1 : 0;
                case Code.Initobj:
                case Code.Box:
                case Code.Ldobj:
                    return typeIsStruct(ins.Operand as ITypeDefOrRef) ? 1 : 0;
                case Code.Ldfld:
                case Code.Ldsfld:
                    return ins.Operand is IField f && isStruct(f.FieldSig?.Type) ? 1 : 0;
                case Code.Call:
                case Code.Callvirt:
                    return ins.Operand is IMethod m && isStruct(m.MethodSig?.RetType) ? 1 : 0;
                default:
                    return 0;
            }
        }

        /// <summary>Resolves our two assemblies to the instrumented images; everything else from the default context.</summary>
        private sealed class MeterContext : AssemblyLoadContext
        {
            private readonly Dictionary<string, Assembly> _ours = new Dictionary<string, Assembly>();

            public MeterContext(Images images) : base("il-meter", isCollectible: true)
            {
                foreach (var kv in images.Code)
                {
                    _ours[kv.Key] = LoadFromStream(new MemoryStream(kv.Value));
                }
            }

            protected override Assembly Load(AssemblyName name)
            {
                return _ours.TryGetValue(name.Name, out Assembly a) ? a : null;
            }
        }
    }
}
