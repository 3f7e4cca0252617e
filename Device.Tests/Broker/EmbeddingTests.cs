using Device.Broker;
using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    /// <summary>The embedding API's routing (Embedding.cs): local Publish and local subscriptions, through the engine's seam.</summary>
    [TestClass]
    public class EmbeddingTests
    {
        [TestMethod]
        public void Local_publish_reaches_remote_subscribers_at_min_qos()
        {
            FakeNet net = new FakeNet(TestOptions.Embedded());
            FakeClient q0 = net.Connect("q0", true);
            q0.Subscribe("home/+/temp", 0);
            FakeClient q1 = net.Connect("q1", true);
            q1.Subscribe("home/#", 1);
            Assert.AreEqual((int)PublishResult.Ok, (int)net.Engine.Publish("home/kitchen/temp", Text("21.5"), 1, false));
            net.Pump();
            q0.ExpectPublish("home/kitchen/temp", "21.5", 0);
            PublishView v = q1.ExpectPublish("home/kitchen/temp", "21.5", 1);
            Assert.IsFalse(v.Retain, "live copies carry retain 0 [MQTT-3.3.1-9]");
            q0.ExpectNothing();
            Assert.AreEqual(1L, net.Engine.Counters.LocalPublished);
        }

        [TestMethod]
        public void Local_publish_of_bytes_reaches_remote_subscriber()
        {
            FakeNet net = new FakeNet(TestOptions.Embedded());
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("a/b", 2);
            byte[] topic = Text("xa/by");
            topic[2] = (byte)'/';
            byte[] payload = Text("--hello--");
            // Offsets inside larger arrays: "a/b" from "xa/by", "hello" from "--hello--".
            Assert.AreEqual((int)PublishResult.Ok, (int)net.Engine.Publish(topic, 1, 3, payload, 2, 5, 2, false));
            net.Pump();
            sub.ExpectPublish("a/b", "hello", 2);
        }

        [TestMethod]
        public void Local_publish_reaches_local_handler_once_per_subscription()
        {
            FakeNet net = new FakeNet(TestOptions.Embedded());
            RecordingHandler relay = new RecordingHandler();
            RecordingHandler other = new RecordingHandler();
            int id = net.Engine.Subscribe("gw/relay/+", relay);
            Assert.IsTrue(id >= 0);
            Assert.IsTrue(net.Engine.Subscribe("gw/other", other) >= 0);
            Assert.AreEqual((int)PublishResult.Ok, (int)net.Engine.Publish("gw/relay/1", Text("on"), 1, false));
            Assert.AreEqual(1, relay.Calls);
            Assert.AreEqual("gw/relay/1", relay.LastTopic);
            Assert.AreEqual("on", relay.LastPayload);
            Assert.AreEqual((byte)1, relay.LastQos);
            Assert.IsFalse(relay.LastRetain);
            Assert.AreEqual(id, relay.LastSubscription);
            Assert.AreEqual(0, other.Calls, "a filter that does not match is not called");
            Assert.AreEqual(1L, net.Engine.Counters.LocalDelivered);
        }

        [TestMethod]
        public void Remote_publish_reaches_local_handler()
        {
            FakeNet net = new FakeNet(TestOptions.Embedded());
            RecordingHandler relay = new RecordingHandler();
            net.Engine.Subscribe("gw/relay/#", relay);
            FakeClient phone = net.Connect("phone", true);
            phone.Send(TestPackets.Publish("gw/relay/2", "off", 1, 5));
            Assert.AreEqual((ushort)5, phone.ExpectAck(PacketType.Puback));
            Assert.AreEqual(1, relay.Calls);
            Assert.AreEqual("gw/relay/2", relay.LastTopic);
            Assert.AreEqual("off", relay.LastPayload);
            Assert.AreEqual((byte)1, relay.LastQos);
        }

        [TestMethod]
        public void Remote_publish_the_acl_denies_does_not_reach_local_handler()
        {
            BrokerOptions o = TestOptions.Embedded();
            FakeNet net = new FakeNet(o);
            net.Engine.Users.Add("ann", "pw");
            Assert.AreEqual(0, AclFile.Load(net.Engine.Acl, "user ann\ntopic read gw/#\n"));
            RecordingHandler relay = new RecordingHandler();
            net.Engine.Subscribe("gw/#", relay);
            ConnectSpec spec = new ConnectSpec("ann-phone");
            spec.Username = "ann";
            spec.Password = "pw";
            FakeClient phone = net.Connect(spec);
            phone.Send(TestPackets.Publish("gw/relay/1", "on", 1, 6));
            phone.ExpectAck(PacketType.Puback);
            Assert.AreEqual(0, relay.Calls, "a write the ACL refuses is not routed, locally either");
        }

        [TestMethod]
        public void Will_reaches_local_handler()
        {
            FakeNet net = new FakeNet(TestOptions.Embedded());
            RecordingHandler status = new RecordingHandler();
            net.Engine.Subscribe("status/+", status);
            ConnectSpec spec = new ConnectSpec("sensor");
            spec.WillTopic = "status/sensor";
            spec.WillMessage = "gone";
            FakeClient sensor = net.Connect(spec);
            sensor.DropNetwork();
            net.Pump();
            Assert.AreEqual(1, status.Calls);
            Assert.AreEqual("gone", status.LastPayload);
        }

        [TestMethod]
        public void Retained_local_publish_is_replayed_to_new_subscribers_with_retain_set()
        {
            FakeNet net = new FakeNet(TestOptions.Embedded());
            Assert.AreEqual((int)PublishResult.Ok, (int)net.Engine.Publish("gw/state", Text("ready"), 0, true));
            RecordingHandler late = new RecordingHandler();
            net.Engine.Subscribe("gw/#", late);
            Assert.AreEqual(1, late.Calls);
            Assert.IsTrue(late.LastRetain, "[MQTT-3.3.1-6]");
            Assert.AreEqual("ready", late.LastPayload);
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("gw/state", 0);
            PublishView v = sub.ExpectPublish("gw/state", "ready", 0);
            Assert.IsTrue(v.Retain);
            // An empty retained payload clears it ([MQTT-3.3.1-10]).
            Assert.AreEqual((int)PublishResult.Ok, (int)net.Engine.Publish("gw/state", null, 0, true));
            Assert.AreEqual(0, net.Engine.Retained.Count);
        }

        [TestMethod]
        [DataRow("a/+/b")]
        [DataRow("a/#")]
        [DataRow("")]
        public void Local_publish_to_invalid_topic_is_refused_and_routes_nothing(string topic)
        {
            FakeNet net = new FakeNet(TestOptions.Embedded());
            RecordingHandler all = new RecordingHandler();
            net.Engine.Subscribe("#", all);
            int stored = net.Engine.Counters.StoredMessages;
            Assert.AreEqual((int)PublishResult.Invalid, (int)net.Engine.Publish(topic, Text("x"), 0, false));
            Assert.AreEqual(0, all.Calls);
            Assert.AreEqual(stored, net.Engine.Counters.StoredMessages, "nothing left in the pool");
        }

        [TestMethod]
        public void Local_publish_longer_than_max_topic_length_or_qos_3_is_refused()
        {
            BrokerOptions o = TestOptions.Embedded();
            FakeNet net = new FakeNet(o);
            Assert.AreEqual((int)PublishResult.Invalid, (int)net.Engine.Publish(TestPackets.Repeat('t', o.MaxTopicLength + 1), null, 0, false));
            Assert.AreEqual(1L, net.Engine.Counters.PublishTopicTooLong);
            Assert.AreEqual((int)PublishResult.Invalid, (int)net.Engine.Publish("t", null, 3, false));
            Assert.AreEqual((int)PublishResult.Ok, (int)net.Engine.Publish(TestPackets.Repeat('t', o.MaxTopicLength), null, 0, false));
        }

        [TestMethod]
        public void Publish_and_subscribe_from_inside_a_handler_are_refused_as_busy()
        {
            FakeNet net = new FakeNet(TestOptions.Embedded());
            RecordingHandler h = new RecordingHandler();
            h.PublishInside = net.Engine;
            net.Engine.Subscribe("cmd", h);
            Assert.AreEqual((int)PublishResult.Ok, (int)net.Engine.Publish("cmd", Text("go"), 0, false));
            Assert.AreEqual(1, h.Calls);
            Assert.AreEqual((int)PublishResult.Busy, (int)h.InsideResult);
            Assert.AreEqual(-1, h.SubscribeInsideResult);
            Assert.AreEqual((int)PublishResult.Ok, (int)net.Engine.Publish("inside", null, 0, false), "after the call it works");
        }

        [TestMethod]
        public void Throwing_handler_is_counted_and_remote_subscribers_still_get_the_message()
        {
            FakeNet net = new FakeNet(TestOptions.Embedded());
            RecordingHandler bad = new RecordingHandler();
            bad.Throw = true;
            net.Engine.Subscribe("t", bad);
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("t", 1);
            FakeClient pub = net.Connect("pub", true);
            pub.Send(TestPackets.Publish("t", "m", 1, 3));
            pub.ExpectAck(PacketType.Puback);
            sub.ExpectPublish("t", "m", 1);
            Assert.AreEqual(1L, net.Engine.Counters.HookFailures);
            Assert.IsTrue(net.Engine.IsConnected(pub.Handle));
        }

        [TestMethod]
        public void Qos1_local_publish_is_pushed_back_not_dropped_when_a_subscriber_cannot_take_it()
        {
            BrokerOptions o = TestOptions.Embedded();
            o.MaxQueuedMessages = 2;
            FakeNet net = new FakeNet(o);
            FakeClient slow = net.Connect("slow", true);
            slow.Subscribe("t", 1);
            slow.Reading = false;
            int ok = 0;
            PublishResult r = PublishResult.Ok;
            for (int i = 0; i < 50 && r == PublishResult.Ok; i++)
            {
                r = net.Engine.Publish("t", Text("m"), 1, false);
                if (r == PublishResult.Ok)
                {
                    ok++;
                }

                net.Pump();
            }

            Assert.AreEqual((int)PublishResult.NoRoom, (int)r, "the app is pushed back on");
            Assert.AreEqual(0L, net.Engine.Counters.MessagesDropped, "nothing taken is dropped");
            Assert.AreEqual(1L, net.Engine.Counters.LocalNoRoom);
            slow.Reading = true;
            net.Pump();
            int got = 0;
            int offset;
            FixedHeader h;
            while (slow.TryNext(out h, out offset))
            {
                if (h.Type == PacketType.Publish)
                {
                    got++;
                    PublishView v = new PublishView();
                    PublishPacket.Decode(slow.Inbox, offset, h, v);
                    slow.Send(TestPackets.Ack(PacketType.Puback, v.PacketId));
                }
            }

            Assert.AreEqual(ok, got, "every message Publish took reached the subscriber");
            Assert.AreEqual((int)PublishResult.Ok, (int)net.Engine.Publish("t", Text("again"), 1, false));
        }

        [TestMethod]
        public void Unsubscribed_handler_is_not_called_and_its_slot_is_reused()
        {
            BrokerOptions o = TestOptions.Embedded();
            o.LocalSubscriptions = 1;
            FakeNet net = new FakeNet(o);
            RecordingHandler h = new RecordingHandler();
            int id = net.Engine.Subscribe("t", h);
            Assert.AreEqual(-1, net.Engine.Subscribe("u", h), "one slot");
            Assert.IsTrue(net.Engine.Unsubscribe(id));
            Assert.IsFalse(net.Engine.Unsubscribe(id));
            net.Engine.Publish("t", null, 0, false);
            Assert.AreEqual(0, h.Calls);
            Assert.IsTrue(net.Engine.Subscribe("u", h) >= 0);
        }

        [TestMethod]
        public void Invalid_local_filter_is_refused()
        {
            FakeNet net = new FakeNet(TestOptions.Embedded());
            RecordingHandler h = new RecordingHandler();
            Assert.AreEqual(-1, net.Engine.Subscribe("a/#/b", h));
            Assert.AreEqual(-1, net.Engine.Subscribe("a+", h));
            Assert.AreEqual(0, net.Engine.LocalSubscriptions.Count);
        }

        [TestMethod]
        public void Without_embedded_state_local_subscribe_is_refused_at_setup_and_publish_still_works()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            Assert.IsFalse(net.Engine.Embedded);
            Assert.ThrowsException(typeof(System.InvalidOperationException), () => net.Engine.Subscribe("t", new RecordingHandler()));
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("t", 0);
            Assert.AreEqual((int)PublishResult.Ok, (int)net.Engine.Publish("t", Text("x"), 0, false));
            net.Pump();
            sub.ExpectPublish("t", "x", 0);
        }

        [TestMethod]
        public void Stop_closes_every_client_without_wills_and_refuses_new_ones_until_start()
        {
            FakeNet net = new FakeNet(TestOptions.Embedded());
            RecordingHandler wills = new RecordingHandler();
            net.Engine.Subscribe("will/#", wills);
            ConnectSpec spec = new ConnectSpec("c1");
            spec.WillTopic = "will/c1";
            spec.WillMessage = "x";
            FakeClient c1 = net.Connect(spec);
            net.Engine.Stop(net.Now);
            net.Pump();
            Assert.IsTrue(c1.IsClosed);
            Assert.AreEqual((int)CloseReason.Stopped, (int)net.Engine.CloseReasonOf(c1.Handle));
            Assert.AreEqual(0, wills.Calls);
            Assert.IsFalse(net.Engine.Running);
            Assert.IsNull(net.Open(), "no connection while stopped");
            net.Engine.Start();
            Assert.IsTrue(net.Engine.Running);
            net.Connect("c2", true);
            Assert.AreEqual(1, net.Engine.Counters.ClientsConnected);
        }

        [TestMethod]
        public void Status_shows_the_pool_filling_and_freeing()
        {
            FakeNet net = new FakeNet(TestOptions.Embedded());
            Counters k = net.Engine.Counters;
            int freeMessages = k.PoolMessagesFree;
            int freeBytes = k.PoolBytesFree;
            Assert.AreEqual(net.Engine.Messages.Capacity, freeMessages);
            FakeClient sub = net.Connect("sub", true);
            sub.Subscribe("t", 1);
            sub.Reading = false;
            net.Engine.Publish("t", Text("0123456789"), 1, false);
            net.Engine.Publish("t", Text("0123456789"), 1, false);
            Assert.AreEqual(freeMessages - 2, k.PoolMessagesFree);
            Assert.AreEqual(freeBytes - 22, k.PoolBytesFree);
            Assert.AreEqual(1, k.ClientsConnected);
        }

        private static byte[] Text(string s)
        {
            byte[] b = new byte[Utf8.ByteCount(s)];
            Utf8.Encode(s, b, 0);
            return b;
        }
    }
}
