using System;
using System.Collections.Generic;
using System.Reflection;
using System.Runtime.CompilerServices;
using Device.Broker;
using Xunit.Abstractions;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// The preallocation report (Budget) against what the .NET GC really hands out while a Broker is built,
    /// for both profiles. The report is computed from the options alone; this proves it lists every array.
    /// </summary>
    public class BudgetMeasurementTests
    {
        private readonly ITestOutputHelper _output;

        public BudgetMeasurementTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Theory]
        [InlineData("Device")]
        [InlineData("Host")]
        public void Budget_matches_the_bytes_allocated_by_the_constructor(string profile)
        {
            BrokerOptions options = profile == "Device" ? BrokerOptions.Device() : BrokerOptions.Host();
            Budget budget = Budget.For(options);
            // Once first, so that type initialisation and JIT are not counted.
            GC.KeepAlive(new BrokerEngine(options));

            // The least of three: a GC that the large allocations set off can add a little runtime noise of its
            // own to the counter, never take anything away.
            long measured = long.MaxValue;
            for (int attempt = 0; attempt < 3; attempt++)
            {
                GC.Collect();
                long before = GC.GetAllocatedBytesForCurrentThread();
                BrokerEngine engine = new BrokerEngine(options);
                measured = Math.Min(measured, GC.GetAllocatedBytesForCurrentThread() - before);
                GC.KeepAlive(engine);
            }

            _output.WriteLine(profile + " profile: measured " + measured + " bytes on the host; budget: data " + budget.Total.DataBytes
                + ", host estimate " + budget.Total.HostBytes + ", device estimate " + budget.Total.DeviceBytes
                + " (" + budget.Total.Arrays + " arrays, " + budget.Total.Objects + " objects)");
            _output.WriteLine(budget.Report());

            Assert.True(measured >= budget.Total.DataBytes, "cannot allocate less than the table contents");

            // Arrays are exact (header + elements, rounded to 8). Objects are estimated at 16 + 8 bytes per field
            // (the device's rule of one slot per field); the .NET runtime packs an int, short or bool field into
            // less than 8 bytes, so each object really takes its packed size. That packing is the only gap:
            // computed here per object from the size the runtime itself allocates for one instance of its type.
            long packing = 0;
            long bound = 0;
            string detail = "";
            foreach (object x in ObjectsOf(new BrokerEngine(options)))
            {
                Type t = x.GetType();
                if (t.Assembly == typeof(Device.Protocol.FixedHeader).Assembly)
                {
                    // The codec's header and views: Footprint counts their fields by width already.
                    continue;
                }

                int fields = t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly).Length;
                long estimate = Math.Max(24, (16 + 8L * fields + 7) / 8 * 8);
                long real = InstanceSize(t);
                packing += estimate - real;
                bound += 7 * fields; // a field packed below its 8 estimated bytes saves at most 7
                detail += " " + t.Name + " " + real + "/" + estimate;
            }

            _output.WriteLine("objects, real/estimated bytes:" + detail + "; packing " + packing);
            Assert.True(packing >= 0 && packing <= bound, "packing " + packing + " of at most " + bound);
            Assert.Equal(budget.Total.HostBytes - packing, measured);
        }

        /// <summary>The engine and every object it reaches (not arrays, not the options it was given).</summary>
        private static List<object> ObjectsOf(BrokerEngine engine)
        {
            List<object> found = new List<object>();
            HashSet<object> seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
            Stack<object> todo = new Stack<object>();
            todo.Push(engine);
            while (todo.Count > 0)
            {
                object x = todo.Pop();
                if (x is Array a && !a.GetType().GetElementType().IsPrimitive)
                {
                    // Per-listener stores (Users[], Acl[]) are reached through their arrays.
                    foreach (object element in a)
                    {
                        todo.Push(element);
                    }

                    continue;
                }

                if (x == null || x is Array || x is BrokerOptions || x is Delegate || !seen.Add(x))
                {
                    continue;
                }

                found.Add(x);
                foreach (FieldInfo f in x.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if (!f.FieldType.IsValueType)
                    {
                        todo.Push(f.GetValue(x));
                    }
                }
            }

            return found;
        }

        /// <summary>Bytes the GC hands out for one instance of t (its constructor not run).</summary>
        private static long InstanceSize(Type t)
        {
            GC.KeepAlive(RuntimeHelpers.GetUninitializedObject(t));
            long before = GC.GetAllocatedBytesForCurrentThread();
            object x = RuntimeHelpers.GetUninitializedObject(t);
            long size = GC.GetAllocatedBytesForCurrentThread() - before;
            GC.KeepAlive(x);
            return size;
        }

        [Fact]
        public void Device_profile_fits_48_KB()
        {
            Budget budget = Budget.For(BrokerOptions.Device());
            Assert.True(budget.Total.DeviceBytes <= 48 * 1024, budget.Total.DeviceBytes.ToString());
        }
    }
}
