using System;
using System.Linq;
using System.Reflection;
using Device.Broker;
using Device.Protocol;
using Xunit;
using Xunit.Abstractions;

namespace Host.Tests
{
    /// <summary>
    /// What one routed message costs in the units an interpreter pays (issue 16): value-type instances of our own
    /// structs (each one a heap block on nanoCLR), IL instructions and calls executed. The case is
    /// <see cref="RoutingDriver"/>'s: the Device profile, a QoS 0 PUBLISH matched by 2 of 16 subscriptions.
    /// </summary>
    public class RoutingCostTests
    {
        private readonly ITestOutputHelper _output;

        public RoutingCostTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public void Driver_routes_the_publish_to_exactly_the_two_matching_subscribers()
        {
            var d = new RoutingDriver();
            Assert.Equal(16, d.Subscriptions);
            d.RouteOne();
            long[] got = Enumerable.Range(0, 4).Select(k => d.Drain(k)).ToArray();
            Assert.Equal(new long[] { 0, d.PublishSize, d.PublishSize, 0 }, got);
        }

        [Fact]
        public void Routing_path_from_Received_makes_no_value_type_instance()
        {
            MethodInfo root = typeof(BrokerEngine).GetMethod(nameof(BrokerEngine.Received));
            IlWalk.Result r = IlWalk.Walk(root, typeof(BrokerEngine).Assembly, typeof(Framing).Assembly);
            _output.WriteLine($"{r.Visited.Count} methods walked from BrokerEngine.Received; {r.ValueTypeSites.Count} value-type sites:");
            foreach (string site in r.ValueTypeSites)
            {
                _output.WriteLine("  " + site);
            }

            // The walk really covers the routing path: handler, delivery, output and the encoder.
            foreach (string m in new[] { "BrokerEngine.HandlePublish", "BrokerEngine.Route", "BrokerEngine.WritePublish", "PublishPacket.Decode", "PublishPacket.Encode", "Topic.Matches" })
            {
                Assert.Contains(m, r.Visited);
            }

            // The embedding API's interfaces are the app's code (docs/EMBEDDING.md): their implementations are not the
            // engine's to walk, and with Embedded off (the Device profile measured here) they are never called. The
            // persistence calls (only made when a store is attached) go to an interface too: its board implementation,
            // FlashStore, is walked by Persistence/FlashStoreTests; the PC journal is host code. IOfflineQos0Sink is only called for
            // a QoS 0 message to an away session; its one implementation, the bridge's conflate side, is Device.Net's
            // (DeviceCheck holds it to no structs; BridgeForwardAllocationTests and ConflateBridgeTests to 0 B).
            Assert.DoesNotContain(r.Unfollowed, u => !u.StartsWith("IMessageHandler.", StringComparison.Ordinal) && !u.StartsWith("IAccessHook.", StringComparison.Ordinal)
                && !u.StartsWith("IClientEvents.", StringComparison.Ordinal) && !u.StartsWith("IPersistence.", StringComparison.Ordinal)
                && !u.StartsWith("IOfflineQos0Sink.", StringComparison.Ordinal));
            Assert.Empty(r.ValueTypeSites);
        }

        private struct Probe
        {
            public int A;
        }

        private static int UsesAStruct(Probe p)
        {
            Probe q = new Probe();
            q.A = p.A + 1;
            return q.A;
        }

        private static int CallsIt()
        {
            return UsesAStruct(default);
        }

        [Fact]
        public void Walk_finds_struct_locals_parameters_and_initobj_behind_a_call()
        {
            MethodInfo root = typeof(RoutingCostTests).GetMethod(nameof(CallsIt), BindingFlags.NonPublic | BindingFlags.Static);
            IlWalk.Result r = IlWalk.Walk(root, typeof(RoutingCostTests).Assembly);
            Assert.Contains("RoutingCostTests.UsesAStruct", r.Visited);
            Assert.Contains(r.ValueTypeSites, s => s.StartsWith("RoutingCostTests.UsesAStruct: parameter p"));
            Assert.Contains(r.ValueTypeSites, s => s.StartsWith("RoutingCostTests.UsesAStruct: local"));
            Assert.Contains(r.ValueTypeSites, s => s.Contains("initobj Probe"));
        }

        [Fact]
        public void Routing_one_qos0_publish_counts_its_il_instructions_calls_and_value_types()
        {
            IlMeter.Counts c = IlMeter.Measure(typeof(RoutingDriver), nameof(RoutingDriver.RouteOne), nameof(RoutingDriver.Drain), 10);
            _output.WriteLine($"per routed message: {c.Instructions} IL instructions, {c.Calls} calls, {c.ValueTypes} value-type instances");
            foreach (var m in c.ByMethod)
            {
                _output.WriteLine($"  {m.Value,6}  {m.Key}");
            }

            Assert.True(c.Instructions > 0, "the meter counted nothing: the instrumented copies were not used");
            // Issue 16: every struct instance is a heap block on nanoCLR; the routing path makes none.
            Assert.Equal(0, c.ValueTypes);
            // Before the conversion (commit 02e1e22, before issue 10's flow control): 8,982 instructions, 158 calls, 17
            // struct instances. After it, with flow control merged: 8,581 and 87; with the Mosquitto options (per-listener
            // ACL, topic levels, payload limit): 8,627 and 89. With the routing index (filter signatures), the QoS 0
            // encode-once copy, no reply-room call for QoS 0 and no $SYS call unless the topic starts with '$': 3,301 and
            // 54 (docs/ARCHITECTURE.md, "What a routed message executes"). With issue 10's grown-buffer tests and issue
            // 12's bridge loop prevention (the publisher's level byte read once per message, the retain flag kept
            // only towards bridges): 3,410 and 57; with issue 10's read-ahead (one layout test in RxAppend, no call on the board's
            // fixed layout): 3,413 and 57; with issue 10's QoS 0 back-pressure (HandlePublish asks Deliveries.Idle whether the
            // hold check can be skipped: one call, paid for by writing Process's Unhold out; 11 instructions for the
            // test and the _reserved reset): 3,424 and 57; with the PC's routing index (Subscriptions.Match tests _index, null
            // on the board: 3 instructions, no call): 3,427 and 57. The counts are deterministic (no timing): a change that puts work
            // back on the path fails here and must say why.
            Assert.True(c.Calls <= 57, $"{c.Calls} calls per routed message (57 with the bridge's loop check; 54 after issue 16's routing index)");
            Assert.True(c.Instructions <= 3450, $"{c.Instructions} IL instructions per routed message (3,424 with QoS 0 back-pressure; 3,410 with the bridge's loop check; 3,301 after issue 16's routing index)");
        }
    }
}
