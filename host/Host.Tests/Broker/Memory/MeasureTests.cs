using System;
using System.Collections.Generic;
using System.Reflection;
using Device.Broker;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// Each store's Measure method is a hand-kept mirror of its constructor. These tests read the real objects
    /// by reflection (fields, owned objects, arrays and their element bytes) and compare them with what Measure
    /// declares, store by store, and then with Budget's lines and total: a field or array added to a store
    /// without its Measure line fails here, naming the store.
    /// </summary>
    public class MeasureTests
    {
        public static IEnumerable<object[]> Stores()
        {
            foreach (string name in Declared.Keys)
            {
                yield return new object[] { name };
            }
        }

        /// <summary>What each store's Measure declares for a set of options, called the way Budget.For calls it.</summary>
        private static readonly Dictionary<string, Action<Footprint, BrokerOptions>> Declared = new Dictionary<string, Action<Footprint, BrokerOptions>>
        {
            ["Connections"] = (f, o) =>
            {
                Call(typeof(Connections), "MeasureBuffers", f, o.Connections, o.MaxPacketSize, o.TxBufferSize, o.GrowBuffers);
                Call(typeof(Connections), "MeasureState", f, o.Connections);
            },
            ["SessionTable"] = (f, o) => Call(typeof(SessionTable), "Measure", f, o.Sessions, o.MaxClientIdLength, o.MaxUsernameLength),
            ["MessagePool"] = (f, o) => Call(typeof(MessagePool), "Measure", f, o.PoolMessages, o.PoolArenaBytes),
            ["Deliveries"] = (f, o) => Call(typeof(Deliveries), "Measure", f, o.PoolEntries, o.Sessions),
            ["Holds"] = (f, o) => Call(typeof(Holds), "Measure", f, o.Connections),
            ["IncomingQos2"] = (f, o) => Call(typeof(IncomingQos2), "Measure", f, o.Sessions, o.IncomingQos2PerSession),
            ["Subscriptions"] = (f, o) => Call(typeof(Subscriptions), "Measure", f, o.MaxSubscriptions, o.SubscriptionBytes, o.Sessions),
            ["Retained"] = (f, o) => Call(typeof(Retained), "Measure", f, o.RetainedSlots, o.RetainedBytes),
            ["Wills"] = (f, o) => Call(typeof(Wills), "Measure", f, o.Connections, o.WillBytes),
            ["Users"] = (f, o) => Call(typeof(Users), "Measure", f, o.MaxUsers, o.UserBytes),
            ["Acl"] = (f, o) => Call(typeof(Acl), "Measure", f, o.MaxAclRules, o.AclBytes, o.MaxTopicLength),
            ["Counters"] = (f, o) => Call(typeof(Counters), "Measure", f),
            ["BrokerEngine"] = (f, o) => Call(typeof(BrokerEngine), "MeasureSelf", f, o),
            // Internal to the engine (the app reaches it through BrokerEngine's embedding API only).
            ["EmbeddedState"] = (f, o) => Call(typeof(BrokerEngine).Assembly.GetType("Device.Broker.EmbeddedState"), "Measure", f, o),
        };

        /// <summary>
        /// Field counts known to be off in files another change owns (Security/Users.cs and Security/Acl.cs belong
        /// to the security rework, which edits their Measure): real minus declared. The test holds them to exactly
        /// this drift, so the fix there fails here until its entry is deleted.
        /// </summary>
        private static readonly Dictionary<string, int> KnownFieldDrift = new Dictionary<string, int>
        {
        };

        /// <summary>Options where every size differs, so a Measure fed the wrong one shows.</summary>
        private static BrokerOptions Options()
        {
            BrokerOptions o = BrokerOptions.Device();
            o.MaxClients = 7;
            o.MaxPersistentSessions = 4;
            o.SpareConnections = 2;
            o.MaxUsers = 5;
            o.MaxAclRules = 9;
            o.Embedded = true;
            o.LocalSubscriptions = 3;
            o.LocalFilterBytes = 77;
            return o;
        }

        [Theory]
        [MemberData(nameof(Stores))]
        public void Measure_declares_every_field_and_array_of_its_store(string store)
        {
            BrokerOptions o = Options();
            BrokerEngine engine = new BrokerEngine(o);
            Found real = Walk(engine, StoreObject(engine, store), store == "BrokerEngine");
            Footprint declared = new Footprint();
            Declared[store](declared, o);

            Assert.True(declared.Objects == real.Objects, store + ": Measure declares " + declared.Objects + " objects, the store has " + real.Objects + real.Detail);
            int drift = KnownFieldDrift.TryGetValue(store, out int d) ? d : 0;
            Assert.True(declared.Fields + drift == real.Fields, store + ": Measure declares " + declared.Fields + " fields, the store has " + real.Fields + real.Detail);
            Assert.True(declared.Arrays == real.Arrays, store + ": Measure declares " + declared.Arrays + " arrays, the store has " + real.Arrays + real.Detail);
            Assert.True(declared.DataBytes == real.DataBytes, store + ": Measure declares " + declared.DataBytes + " array bytes, the store has " + real.DataBytes + real.Detail);
        }

        [Fact]
        public void Every_engine_field_is_a_measured_store_or_the_engines_own()
        {
            foreach (FieldInfo field in InstanceFields(typeof(BrokerEngine)))
            {
                Type t = field.FieldType;
                // The attached persistence store is not the engine's: the board's has a Budget line of its own. The
                // offline QoS 0 sink is a bridge (measured by BridgeFootprint with its conflate table).
                if (t.IsArray || t.IsValueType || t == typeof(BrokerOptions) || t == typeof(IPersistence) || t == typeof(IOfflineQos0Sink) || IsCodecView(t))
                {
                    continue;
                }

                Assert.True(Declared.ContainsKey(t.Name), "engine field " + field.Name + " (" + t.Name + ") has no Measure in this test or in Budget");
            }
        }

        /// <summary>
        /// Budget's lines against the stores they name, each measured by reflection: the arrays' element bytes
        /// and counts and the objects of each line, and the total against every array the built engine reaches.
        /// Replaces a check that re-added Budget's own sum.
        /// </summary>
        [Theory]
        [InlineData("Device")]
        [InlineData("Host")]
        [InlineData("Mixed")]
        public void Budget_lines_hold_exactly_the_arrays_of_their_stores(string profile)
        {
            BrokerOptions o = profile == "Device" ? BrokerOptions.Device() : profile == "Host" ? BrokerOptions.Host() : Options();
            Budget budget = Budget.For(o);
            BrokerEngine engine = new BrokerEngine(o);

            // Budget's lines in order, and the stores each one covers (Connections spans the first two lines).
            string[][] lines =
            {
                new[] { "Connections" }, null, new[] { "SessionTable" }, new[] { "MessagePool", "Deliveries" }, new[] { "Holds" },
                new[] { "IncomingQos2" }, new[] { "Subscriptions" }, new[] { "Retained" },
                new[] { "Wills" }, new[] { "Users", "Acl" }, new[] { "BrokerEngine", "Counters" }, new[] { "EmbeddedState" },
            };
            Assert.Equal(lines.Length, budget.Lines.Length);

            long totalData = 0;
            int totalArrays = 0;
            int totalObjects = 0;
            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i] == null)
                {
                    continue;
                }

                Footprint line = budget.Lines[i];
                if (lines[i][0] == "Connections")
                {
                    line = new Footprint();
                    line.Add(budget.Lines[0]);
                    line.Add(budget.Lines[1]);
                }

                long data = 0;
                int arrays = 0;
                int objects = 0;
                foreach (string store in lines[i])
                {
                    Found real = Walk(engine, StoreObject(engine, store), store == "BrokerEngine");
                    data += real.DataBytes;
                    arrays += real.Arrays;
                    objects += real.Objects;
                }

                Assert.True(line.DataBytes == data, budget.Names[i] + ": budget " + line.DataBytes + " array bytes, the stores hold " + data);
                Assert.True(line.Arrays == arrays, budget.Names[i] + ": budget " + line.Arrays + " arrays, the stores hold " + arrays);
                Assert.True(line.Objects == objects, budget.Names[i] + ": budget " + line.Objects + " objects, the stores are " + objects);
                totalData += data;
                totalArrays += arrays;
                totalObjects += objects;
            }

            // Everything the engine reaches, each object and array once: nothing allocated outside the lines.
            long reachableData = 0;
            int reachableArrays = 0;
            int reachableObjects = 0;
            HashSet<object> seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
            Stack<object> todo = new Stack<object>();
            todo.Push(engine);
            while (todo.Count > 0)
            {
                object x = todo.Pop();
                if (x == null || x is BrokerOptions || x is Delegate || !seen.Add(x))
                {
                    continue;
                }

                if (x is Array a)
                {
                    reachableArrays++;
                    reachableData += ArrayBytes(a);
                    if (!a.GetType().GetElementType().IsPrimitive)
                    {
                        foreach (object element in a)
                        {
                            todo.Push(element);
                        }
                    }

                    continue;
                }

                reachableObjects++;
                foreach (FieldInfo field in InstanceFields(x.GetType()))
                {
                    if (!field.FieldType.IsValueType)
                    {
                        todo.Push(field.GetValue(x));
                    }
                }
            }

            Assert.Equal(reachableData, totalData);
            Assert.Equal(reachableArrays, totalArrays);
            Assert.Equal(reachableObjects, totalObjects);
            Assert.Equal(reachableData, budget.Total.DataBytes);
            Assert.Equal(reachableArrays, budget.Total.Arrays);
            Assert.Equal(reachableObjects, budget.Total.Objects);
        }

        private sealed class Found
        {
            public int Objects;
            public int Fields;
            public int Arrays;
            public long DataBytes;
            public string Detail = "";
        }

        private static object StoreObject(BrokerEngine engine, string store)
        {
            if (store == "BrokerEngine")
            {
                return engine;
            }

            foreach (FieldInfo field in InstanceFields(typeof(BrokerEngine)))
            {
                if (field.FieldType.Name == store)
                {
                    return field.GetValue(engine);
                }

                // Per-listener stores (Users[], Acl[]): the options here have one listener, so its element is the store.
                if (field.FieldType.IsArray && field.FieldType.GetElementType().Name == store)
                {
                    return ((Array)field.GetValue(engine)).GetValue(0);
                }
            }

            throw new InvalidOperationException("the engine holds no " + store);
        }

        /// <summary>
        /// One store: its own fields and arrays, and those of the objects it owns (a ByteArena, a LiveList).
        /// References to other stores (Counters reads them) and to the options are not its own. For the engine
        /// itself, only its own fields and scratch arrays: the stores are measured separately.
        /// </summary>
        private static Found Walk(BrokerEngine engine, object store, bool engineOnly)
        {
            HashSet<object> stores = new HashSet<object>(ReferenceEqualityComparer.Instance) { engine };
            foreach (FieldInfo field in InstanceFields(typeof(BrokerEngine)))
            {
                if (!field.FieldType.IsValueType && !field.FieldType.IsArray && !IsCodecView(field.FieldType))
                {
                    stores.Add(field.GetValue(engine));
                }
                else if (field.FieldType.IsArray && !field.FieldType.GetElementType().IsPrimitive)
                {
                    foreach (object element in (Array)field.GetValue(engine))
                    {
                        stores.Add(element);
                    }
                }
            }

            Found found = new Found();
            if (store == null)
            {
                // A store the options leave out (EmbeddedState without BrokerOptions.Embedded): nothing allocated.
                return found;
            }

            Visit(store, store, stores, found, engineOnly);
            return found;
        }

        private static void Visit(object x, object root, HashSet<object> stores, Found found, bool engineOnly)
        {
            FieldInfo[] fields = InstanceFields(x.GetType());
            found.Objects++;
            found.Fields += fields.Length;
            found.Detail += "\n  " + x.GetType().Name + ": " + fields.Length + " fields";
            foreach (FieldInfo field in fields)
            {
                object value = field.FieldType.IsValueType ? null : field.GetValue(x);
                if (value == null || value is BrokerOptions || value is Delegate)
                {
                    continue;
                }

                if (value is Array a)
                {
                    found.Arrays++;
                    found.DataBytes += ArrayBytes(a);
                    found.Detail += "\n    " + field.Name + ": " + a.GetType().Name + " x " + a.Length;
                }
                else if (!stores.Contains(value) && value != root && (!engineOnly || IsCodecView(value.GetType())))
                {
                    Visit(value, root, stores, found, engineOnly);
                }
            }
        }

        /// <summary>An array's element bytes: primitives by their width, references by the pointer size (as Footprint.Array(8, n) declares).</summary>
        private static long ArrayBytes(Array a)
        {
            return a.GetType().GetElementType().IsPrimitive ? Buffer.ByteLength(a) : (long)IntPtr.Size * a.Length;
        }

        /// <summary>The codec's header and views the engine decodes into: its own objects, measured in MeasureSelf.</summary>
        private static bool IsCodecView(Type t)
        {
            return t.Assembly == typeof(Device.Protocol.FixedHeader).Assembly;
        }

        private static FieldInfo[] InstanceFields(Type t)
        {
            return t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly);
        }

        private static void Call(Type type, string method, params object[] args)
        {
            MethodInfo m = type.GetMethod(method, BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public);
            Assert.True(m != null, type.Name + "." + method + " not found");
            m.Invoke(null, args);
        }
    }
}
