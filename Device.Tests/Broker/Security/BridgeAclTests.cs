using Device.Broker;
using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    /// <summary>
    /// The bridge's local side (AcceptInternal) is exempt from acl_file, as Mosquitto's bridge contexts are
    /// (security_default.c: `if(context->bridge) return MOSQ_ERR_SUCCESS;`); socket clients are not, whatever id
    /// they claim. The ACL here grants nothing to anyone: deny unless allowed.
    /// </summary>
    [TestClass]
    public class BridgeAclTests
    {
        private static FakeNet DenyAll()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            net.Engine.Acl.Enable();
            return net;
        }

        private static FakeClient ConnectInternal(FakeNet net, string id)
        {
            FakeClient bridge = net.OpenInternal();
            Assert.IsNotNull(bridge, "no connection slot");
            ConnectSpec spec = new ConnectSpec(id);
            spec.CleanSession = false;
            bridge.Send(TestPackets.Connect(spec));
            Assert.AreEqual(ConnectReturnCode.Accepted, bridge.ExpectConnack().ReturnCode, "CONNACK code");
            return bridge;
        }

        [TestMethod]
        public void Bridge_subscribes_publishes_and_receives_under_a_deny_all_acl()
        {
            FakeNet net = DenyAll();
            FakeClient bridge = ConnectInternal(net, "local.b1");
            bridge.Send(TestPackets.Subscribe(1, "out/#", 1));
            bridge.ExpectBytes(new byte[] { 0x90, 0x03, 0x00, 0x01, 0x01 });

            // A socket client is denied both ways: its subscription gets 0x80 and its publish is dropped.
            FakeClient anon = net.Connect("anon", true);
            anon.Send(TestPackets.Subscribe(2, "in/#", 0));
            anon.ExpectBytes(new byte[] { 0x90, 0x03, 0x00, 0x02, 0x80 });
            anon.Send(TestPackets.Publish("out/x", "from-anon", 0, 0));
            net.Pump();
            bridge.ExpectNothing();

            // What the bridge publishes (its `in` side) is routed; the anonymous client still may not read it.
            bridge.Send(TestPackets.Publish("in/x", "from-upstream", 1, 7));
            Assert.AreEqual(7, (int)bridge.ExpectAck(PacketType.Puback));
            anon.ExpectNothing();
            Assert.AreEqual(1, (int)net.Engine.Counters.AclDeniedPublish, "anon's publish, nothing of the bridge's");
        }

        [TestMethod]
        public void Messages_queued_for_the_offline_bridge_pass_the_read_check_when_it_returns()
        {
            FakeNet net = DenyAll();
            // A second writer the ACL lets publish: the bridge's own `in` messages need no grant.
            net.Engine.Acl.AddTopic("pub", Acl.Write, "out/#");
            FakeClient bridge = ConnectInternal(net, "local.b1");
            bridge.Send(TestPackets.Subscribe(1, "out/#", 1));
            bridge.ExpectSuback(1);
            bridge.DropNetwork();
            net.Pump();

            ConnectSpec pubSpec = new ConnectSpec("pub");
            pubSpec.Username = "pub";
            FakeClient pub = net.Connect(pubSpec);
            pub.Send(TestPackets.Publish("out/a", "queued", 1, 3));
            Assert.AreEqual(3, (int)pub.ExpectAck(PacketType.Puback));
            Assert.AreEqual(0, (int)net.Engine.Counters.AclDeniedRead, "queued for the offline bridge, not denied");
            Assert.AreEqual(0, net.Engine.ApplySecurity(), "a reload neither closes nor empties the bridge");

            FakeClient back = ConnectInternal(net, "local.b1");
            back.ExpectPublish("out/a", "queued", 1);
        }

        [TestMethod]
        public void A_socket_client_with_the_bridges_id_gets_no_exemption()
        {
            FakeNet net = DenyAll();
            // Before the bridge ever connected: an ordinary anonymous client under the ACL.
            FakeClient early = net.Connect("local.b1", true);
            early.Send(TestPackets.Subscribe(1, "out/#", 1));
            early.ExpectBytes(new byte[] { 0x90, 0x03, 0x00, 0x01, 0x80 });
            early.Send(TestPackets.Disconnect());
            net.Pump();

            // While the bridge holds its session (connected or not), the id is refused: CONNACK 2, the session and
            // what is queued in it stay the bridge's.
            FakeClient bridge = ConnectInternal(net, "local.b1");
            bridge.Send(TestPackets.Subscribe(2, "out/#", 1));
            bridge.ExpectSuback(2);
            FakeClient thief = net.Open();
            ConnectSpec spec = new ConnectSpec("local.b1");
            spec.CleanSession = false;
            thief.Send(TestPackets.Connect(spec));
            Assert.AreEqual(ConnectReturnCode.IdentifierRejected, thief.ExpectConnack().ReturnCode);
            bridge.DropNetwork();
            net.Pump();
            FakeClient thief2 = net.Open();
            thief2.Send(TestPackets.Connect(new ConnectSpec("local.b1")));
            Assert.AreEqual(ConnectReturnCode.IdentifierRejected, thief2.ExpectConnack().ReturnCode);

            // The bridge itself comes back to its session and subscription.
            FakeClient back = ConnectInternal(net, "local.b1");
            ConnectSpec pubSpec = new ConnectSpec("pub");
            pubSpec.Username = "pub";
            net.Engine.Acl.AddTopic("pub", Acl.Write, "out/#");
            FakeClient pub = net.Connect(pubSpec);
            pub.Send(TestPackets.Publish("out/z", "z", 0, 0));
            net.Pump();
            back.ExpectPublish("out/z", "z", 0);
        }
    }
}
