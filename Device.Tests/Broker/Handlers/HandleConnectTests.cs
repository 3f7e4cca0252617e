using Device.Broker;
using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class HandleConnectTests
    {
        [TestMethod]
        public void Connect_is_accepted_with_code_0_and_no_session_present()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient c = net.Open();
            c.Send(TestPackets.Connect(new ConnectSpec("alpha")));
            ConnackView ack = c.ExpectConnack();
            Assert.AreEqual(ConnectReturnCode.Accepted, ack.ReturnCode);
            Assert.IsFalse(ack.SessionPresent);
            Assert.IsTrue(net.Engine.IsConnected(c.Handle));
            Assert.AreEqual(1, net.Engine.Counters.ClientsConnected);
        }

        [TestMethod]
        public void Unknown_protocol_level_gets_connack_1_and_the_connection_closes()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient c = net.Open();
            byte[] connect = TestPackets.Connect(new ConnectSpec("alpha"));
            // Fixed header (2), name length (2), "MQTT" (4), then the level byte: make it MQTT 5.
            Assert.AreEqual(ProtocolLevel.V311, connect[8]);
            connect[8] = 5;
            c.Send(connect);
            Assert.AreEqual(ConnectReturnCode.UnacceptableProtocolVersion, c.ExpectConnack().ReturnCode);
            c.ExpectNothing();
            Assert.IsTrue(c.IsClosed);
            Assert.AreEqual((int)CloseReason.ConnectRefused, (int)net.Engine.CloseReasonOf(c.Handle));
        }

        [TestMethod]
        public void Empty_client_id_without_clean_session_gets_connack_2()
        {
            ConnackTest(ConnectReturnCode.IdentifierRejected, Spec("", ProtocolLevel.V311, false), TestOptions.Device());
        }

        [TestMethod]
        [DataRow("")]
        [DataRow("abcdefghijklmnopqrstuvwx")]
        [DataRow("\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9")]
        public void Client_id_of_a_31_client_outside_1_to_23_bytes_gets_connack_2(string id)
        {
            ConnackTest(ConnectReturnCode.IdentifierRejected, Spec(id, ProtocolLevel.V31, true), TestOptions.Device());
        }

        [TestMethod]
        public void Client_id_of_23_characters_from_a_31_client_is_accepted()
        {
            ConnackTest(ConnectReturnCode.Accepted, Spec("abcdefghijklmnopqrstuvw", ProtocolLevel.V31, true), TestOptions.Device());
        }

        [TestMethod]
        public void Client_id_longer_than_the_configured_maximum_gets_connack_2()
        {
            BrokerOptions o = TestOptions.Device();
            ConnackTest(ConnectReturnCode.Accepted, Spec(TestPackets.Repeat('x', o.MaxClientIdLength), ProtocolLevel.V311, true), o);
            ConnackTest(ConnectReturnCode.IdentifierRejected, Spec(TestPackets.Repeat('x', o.MaxClientIdLength + 1), ProtocolLevel.V311, true), o);
        }

        [TestMethod]
        [DataRow(0)]
        [DataRow(3601)]
        public void Keep_alive_outside_the_configured_bounds_gets_connack_2(int keepAlive)
        {
            BrokerOptions o = TestOptions.Device();
            Assert.AreEqual(3600, o.KeepAliveMaxSeconds);
            ConnectSpec spec = new ConnectSpec("k");
            spec.KeepAlive = (ushort)keepAlive;
            ConnackTest(ConnectReturnCode.IdentifierRejected, spec, o);
        }

        [TestMethod]
        public void Keep_alive_below_the_configured_minimum_gets_connack_2()
        {
            BrokerOptions o = TestOptions.Device();
            o.KeepAliveMinSeconds = 10;
            ConnectSpec spec = new ConnectSpec("k");
            spec.KeepAlive = 9;
            ConnackTest(ConnectReturnCode.IdentifierRejected, spec, o);
            spec.KeepAlive = 10;
            ConnackTest(ConnectReturnCode.Accepted, spec, o);
        }

        [TestMethod]
        public void Connect_when_all_client_slots_are_taken_gets_connack_3()
        {
            FakeNet net = new FakeNet(TestOptions.Clients(2, 1));
            net.Connect("one", true);
            net.Connect("two", true);
            FakeClient third = net.Open();
            Assert.IsNotNull(third, "the spare slot takes the connection");
            third.Send(TestPackets.Connect(new ConnectSpec("three")));
            Assert.AreEqual(ConnectReturnCode.ServerUnavailable, third.ExpectConnack().ReturnCode);
            Assert.IsTrue(third.IsClosed);
            Assert.AreEqual(2, net.Engine.Counters.ClientsConnected);
        }

        [TestMethod]
        public void Persistent_session_beyond_the_maximum_gets_connack_3()
        {
            BrokerOptions o = TestOptions.Device();
            o.MaxPersistentSessions = 1;
            FakeNet net = new FakeNet(o);
            net.Connect("keep", false).Send(TestPackets.Disconnect());
            FakeClient c = net.Open();
            c.Send(TestPackets.Connect(Spec("another", ProtocolLevel.V311, false)));
            Assert.AreEqual(ConnectReturnCode.ServerUnavailable, c.ExpectConnack().ReturnCode);
            // A clean session needs no persistent slot, and the stored one can still come back.
            net.Connect("clean", true);
            net.Connect("keep", false);
        }

        [TestMethod]
        public void Wrong_password_unknown_user_and_missing_password_get_connack_5()
        {
            // Mosquitto 2.0 answers all three with 5 (not authorised), not 4: 20 02 00 05.
            BrokerOptions o = TestOptions.Device();
            FakeNet net = new FakeNet(o);
            net.Engine.Users.Add("ann", "secret");
            ConnackTest(net, ConnectReturnCode.NotAuthorized, User("a1", "ann", "secreT"));
            ConnackTest(net, ConnectReturnCode.NotAuthorized, User("a2", "ann", "secret2"));
            ConnackTest(net, ConnectReturnCode.NotAuthorized, User("a3", "ann", null));
            ConnackTest(net, ConnectReturnCode.NotAuthorized, User("a4", "bob", "secret"));
            ConnackTest(net, ConnectReturnCode.Accepted, User("a5", "ann", "secret"));
            Assert.AreEqual(4, (int)net.Engine.Counters.AuthFailures);

            FakeClient c = net.Open();
            c.Send(TestPackets.Connect(User("a6", "ann", "nope")));
            c.ExpectBytes(new byte[] { 0x20, 0x02, 0x00, 0x05 });
            Assert.IsTrue(c.IsClosed);
        }

        [TestMethod]
        public void Will_payload_over_the_payload_limit_gets_connack_5()
        {
            BrokerOptions o = TestOptions.Device();
            o.MaxPayloadSize = 4;
            FakeNet net = new FakeNet(o);
            ConnectSpec big = new ConnectSpec("big");
            big.WillTopic = "w";
            big.WillMessage = "12345";
            FakeClient c = net.Open();
            c.Send(TestPackets.Connect(big));
            c.ExpectBytes(new byte[] { 0x20, 0x02, 0x00, 0x05 });
            Assert.IsTrue(c.IsClosed);
            Assert.AreEqual(1, (int)net.Engine.Counters.PublishTooLarge);

            ConnectSpec fits = new ConnectSpec("fits");
            fits.WillTopic = "w";
            fits.WillMessage = "1234";
            ConnackTest(net, ConnectReturnCode.Accepted, fits);
        }

        [TestMethod]
        public void Will_topic_with_too_many_levels_closes_without_connack()
        {
            BrokerOptions o = TestOptions.Device();
            o.MaxTopicLevels = 3;
            FakeNet net = new FakeNet(o);
            ConnectSpec deep = new ConnectSpec("deep");
            deep.WillTopic = "a/b/c/d";
            deep.WillMessage = "x";
            FakeClient c = net.Open();
            c.Send(TestPackets.Connect(deep));
            c.ExpectNothing();
            Assert.IsTrue(c.IsClosed);
            Assert.AreEqual((int)DecodeResult.TooManyTopicLevels, (int)net.Engine.ViolationOf(c.Handle));

            ConnectSpec three = new ConnectSpec("three");
            three.WillTopic = "a/b/c";
            three.WillMessage = "x";
            ConnackTest(net, ConnectReturnCode.Accepted, three);
        }

        [TestMethod]
        public void Client_without_user_name_gets_connack_5_when_anonymous_access_is_off()
        {
            BrokerOptions o = TestOptions.Device();
            o.AllowAnonymous = false;
            FakeNet net = new FakeNet(o);
            net.Engine.Users.Add("ann", "secret");
            ConnackTest(net, ConnectReturnCode.NotAuthorized, new ConnectSpec("anon"));
            ConnackTest(net, ConnectReturnCode.Accepted, User("named", "ann", "secret"));
        }

        [TestMethod]
        public void User_name_is_refused_when_anonymous_access_is_off_and_no_password_can_be_checked()
        {
            // Mosquitto 2.0: allow_anonymous false without a password file lets nobody in (CONNACK 5).
            BrokerOptions o = TestOptions.Device();
            o.AllowAnonymous = false;
            FakeNet net = new FakeNet(o);
            ConnackTest(net, ConnectReturnCode.NotAuthorized, User("u1", "anyone", "whatever"));
            ConnackTest(net, ConnectReturnCode.NotAuthorized, User("u2", "anyone", null));
            ConnackTest(net, ConnectReturnCode.NotAuthorized, new ConnectSpec("anon"));
            Assert.AreEqual(3, (int)net.Engine.Counters.AuthFailures);
        }

        [TestMethod]
        public void User_name_without_a_password_table_is_accepted_when_anonymous_access_is_on()
        {
            // Mosquitto 2.0 with allow_anonymous true and no password file: the name is only a name.
            FakeNet net = new FakeNet(TestOptions.Device());
            ConnackTest(net, ConnectReturnCode.Accepted, User("u1", "anyone", "whatever"));
        }

        [TestMethod]
        public void Empty_password_never_authenticates_even_when_it_matches()
        {
            // Mosquitto refuses a zero-length password whatever the password file holds, with CONNACK 5 as for any wrong password.
            BrokerOptions o = TestOptions.Device();
            o.AllowAnonymous = false;
            FakeNet net = new FakeNet(o);
            net.Engine.Users.Add("ann", "");
            ConnackTest(net, ConnectReturnCode.NotAuthorized, User("a1", "ann", ""));
            ConnackTest(net, ConnectReturnCode.NotAuthorized, User("a2", "ann", null));
            Assert.AreEqual(2, (int)net.Engine.Counters.AuthFailures);
        }

        [TestMethod]
        public void Empty_client_id_with_clean_session_is_assigned_a_unique_one()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient a = net.Connect("", true);
            FakeClient b = net.Connect("", true);
            string idA = ClientId(net, a);
            string idB = ClientId(net, b);
            Assert.StartsWith("auto-", idA);
            Assert.StartsWith("auto-", idB);
            Assert.AreNotEqual(idA, idB);
        }

        [TestMethod]
        public void First_packet_other_than_connect_closes_the_connection_unanswered()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient c = net.Open();
            c.Send(TestPackets.Pingreq());
            c.ExpectNothing();
            Assert.IsTrue(c.IsClosed);
            Assert.AreEqual((int)CloseReason.UnexpectedPacket, (int)net.Engine.CloseReasonOf(c.Handle));
        }

        [TestMethod]
        public void Second_connect_closes_the_connection()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient c = net.Connect("twice", true);
            c.Send(TestPackets.Connect(new ConnectSpec("twice")));
            c.ExpectNothing();
            Assert.IsTrue(c.IsClosed);
            Assert.AreEqual((int)CloseReason.UnexpectedPacket, (int)net.Engine.CloseReasonOf(c.Handle));
            Assert.AreEqual(0, net.Engine.Counters.ClientsConnected);
        }

        [TestMethod]
        public void Connection_without_connect_is_closed_after_the_connect_timeout()
        {
            BrokerOptions o = TestOptions.Device();
            FakeNet net = new FakeNet(o);
            FakeClient c = net.Open();
            net.Advance(o.ConnectTimeoutMs - 1);
            Assert.IsFalse(c.IsClosed);
            net.Advance(1);
            Assert.IsTrue(c.IsClosed);
            Assert.AreEqual((int)CloseReason.ConnectTimeout, (int)net.Engine.CloseReasonOf(c.Handle));
            Assert.AreEqual(1, (int)net.Engine.Counters.ConnectTimeouts);
        }

        [TestMethod]
        public void Connected_client_is_not_subject_to_the_connect_timeout()
        {
            BrokerOptions o = TestOptions.Device();
            FakeNet net = new FakeNet(o);
            FakeClient c = net.Connect("on-time", true);
            net.Advance(o.ConnectTimeoutMs * 2);
            Assert.IsFalse(c.IsClosed);
        }

        [TestMethod]
        public void Accept_refuses_when_every_connection_slot_is_taken()
        {
            FakeNet net = new FakeNet(TestOptions.Clients(2, 1));
            Assert.IsNotNull(net.Open());
            Assert.IsNotNull(net.Open());
            Assert.IsNotNull(net.Open());
            Assert.IsNull(net.Open());
            Assert.AreEqual(1, (int)net.Engine.Counters.ConnectionsRefused);
        }

        [TestMethod]
        public void Client_slots_are_reused_after_churn()
        {
            FakeNet net = new FakeNet(TestOptions.Clients(3, 1));
            for (int round = 0; round < 40; round++)
            {
                FakeClient a = net.Connect("a", true);
                FakeClient b = net.Connect("b", round % 2 == 0);
                FakeClient c = net.Connect("c", true);
                a.Send(TestPackets.Disconnect());
                b.DropNetwork();
                // c is taken over by a new connection with its id, the old one closes.
                FakeClient c2 = net.Connect("c", true);
                Assert.IsTrue(c.IsClosed);
                c2.Send(TestPackets.Disconnect());
                Assert.AreEqual(0, net.Engine.Counters.ClientsConnected);
                // Only "b" in its persistent rounds leaves a session behind; a clean round drops it again.
                Assert.AreEqual(round % 2 == 0 ? 0 : 1, net.Engine.Sessions.Count, "sessions left");
            }

            FakeClient x = net.Connect("x", true);
            FakeClient y = net.Connect("y", true);
            FakeClient z = net.Connect("z", true);
            FakeClient w = net.Open();
            w.Send(TestPackets.Connect(new ConnectSpec("w")));
            Assert.AreEqual(ConnectReturnCode.ServerUnavailable, w.ExpectConnack().ReturnCode);
            Assert.IsTrue(net.Engine.IsConnected(x.Handle) && net.Engine.IsConnected(y.Handle) && net.Engine.IsConnected(z.Handle));
            Assert.AreEqual(1, net.Engine.Sessions.PersistentCount);
        }

        [TestMethod]
        public void Sessions_are_found_through_the_client_id_index_across_takeover_disconnect_and_resumption()
        {
            // 4 clients and 30 persistent sessions: 34 session slots, above SessionTable.ScanMax, so CONNECT looks the
            // client id up in the index rather than scanning.
            BrokerOptions o = TestOptions.Clients(4, 1);
            o.MaxPersistentSessions = 30;
            Assert.IsTrue(o.Sessions > SessionTable.ScanMax);
            FakeNet net = new FakeNet(o);
            SessionTable t = net.Engine.Sessions;
            int[] session = new int[20];
            for (int i = 0; i < 20; i++)
            {
                FakeClient c = net.Connect("p" + i.ToString(), false);
                session[i] = net.Engine.SessionOf(c.Handle);
                c.Subscribe("t/" + i.ToString(), 1);
                c.Send(TestPackets.Disconnect());
            }

            Assert.AreEqual(20, t.Count);
            // While they are away, one QoS 1 message for each, queued in its own session.
            FakeClient pub = net.Connect("pub", true);
            for (int i = 0; i < 20; i++)
            {
                pub.Send(TestPackets.Publish("t/" + i.ToString(), "m" + i.ToString(), 1, (ushort)(i + 1)));
                Assert.AreEqual((ushort)(i + 1), pub.ExpectAck(PacketType.Puback));
            }

            pub.Send(TestPackets.Disconnect());
            // Resumed in reverse order: each finds its own session (session present, its own message).
            for (int i = 19; i >= 0; i--)
            {
                ConnectSpec spec = new ConnectSpec("p" + i.ToString());
                spec.CleanSession = false;
                FakeClient c = net.Open();
                c.Send(TestPackets.Connect(spec));
                Assert.IsTrue(c.ExpectConnack().SessionPresent, "p" + i.ToString() + " resumes its session");
                Assert.AreEqual(session[i], net.Engine.SessionOf(c.Handle));
                c.ExpectPublish("t/" + i.ToString(), "m" + i.ToString(), 1);
                // Taken over by a second connection with the same id: the first one closes, the session stays.
                FakeClient again = net.Open();
                again.Send(TestPackets.Connect(spec));
                Assert.IsTrue(again.ExpectConnack().SessionPresent);
                Assert.IsTrue(c.IsClosed, "the older connection of p" + i.ToString() + " is taken over");
                Assert.AreEqual(session[i], net.Engine.SessionOf(again.Handle));
                again.DropNetwork();
            }

            // A clean connect with each id ends its persistent session; then nothing is left, in the table or its index.
            for (int i = 0; i < 20; i++)
            {
                FakeClient c = net.Connect("p" + i.ToString(), true);
                Assert.AreEqual(20 - i, t.Count);
                c.Send(TestPackets.Disconnect());
            }

            Assert.AreEqual(0, t.Count);
            Assert.AreEqual(0, t.PersistentCount);
            Assert.AreEqual(0, t.Indexed);
            Assert.AreEqual(0, net.Engine.Counters.ClientsConnected);
        }

        [TestMethod]
        public void Connect_of_a_31_client_is_accepted_without_session_present()
        {
            FakeNet net = new FakeNet(TestOptions.Device());
            FakeClient c = net.Open();
            c.Send(TestPackets.Connect(Spec("old", ProtocolLevel.V31, false)));
            Assert.AreEqual(ConnectReturnCode.Accepted, c.ExpectConnack().ReturnCode);
            c.Send(TestPackets.Disconnect());
            FakeClient again = net.Open();
            again.Send(TestPackets.Connect(Spec("old", ProtocolLevel.V31, false)));
            ConnackView ack = again.ExpectConnack();
            Assert.AreEqual(ConnectReturnCode.Accepted, ack.ReturnCode);
            Assert.IsFalse(ack.SessionPresent, "3.1 has no session-present flag");
        }

        private static ConnectSpec Spec(string id, byte level, bool clean)
        {
            ConnectSpec spec = new ConnectSpec(id);
            spec.Level = level;
            spec.CleanSession = clean;
            return spec;
        }

        private static ConnectSpec User(string id, string user, string password)
        {
            ConnectSpec spec = new ConnectSpec(id);
            spec.Username = user;
            spec.Password = password;
            return spec;
        }

        private static void ConnackTest(byte expected, ConnectSpec spec, BrokerOptions options)
        {
            ConnackTest(new FakeNet(options), expected, spec);
        }

        private static void ConnackTest(FakeNet net, byte expected, ConnectSpec spec)
        {
            FakeClient c = net.Open();
            c.Send(TestPackets.Connect(spec));
            ConnackView ack = c.ExpectConnack();
            Assert.AreEqual(expected, ack.ReturnCode, "CONNACK code");
            Assert.IsFalse(ack.SessionPresent);
            c.ExpectNothing();
            Assert.AreEqual(expected != ConnectReturnCode.Accepted, c.IsClosed, "refused connections close");
            if (expected == ConnectReturnCode.Accepted)
            {
                c.Send(TestPackets.Disconnect());
            }
        }

        private static string ClientId(FakeNet net, FakeClient c)
        {
            SessionTable t = net.Engine.Sessions;
            int s = net.Engine.SessionOf(c.Handle);
            return Utf8.Decode(t.Ids, t.IdOffset(s), t.IdLength(s));
        }

        [TestMethod]
        public void Empty_client_id_gets_connack_2_when_zero_length_ids_are_not_allowed()
        {
            BrokerOptions o = TestOptions.Device();
            o.AllowZeroLengthClientId = false;
            FakeNet net = new FakeNet(o);
            FakeClient c = net.Open();
            c.Send(TestPackets.Connect(new ConnectSpec("")));
            c.ExpectBytes(new byte[] { 0x20, 0x02, 0x00, 0x02 });
            Assert.IsTrue(c.IsClosed);
        }

        [TestMethod]
        public void Assigned_client_ids_start_with_the_auto_id_prefix()
        {
            BrokerOptions o = TestOptions.Device();
            o.AutoIdPrefix = "dev-";
            FakeNet net = new FakeNet(o);
            FakeClient c = net.Connect(new ConnectSpec(""));
            string id = ClientId(net, c);
            Assert.AreEqual(12, id.Length);
            Assert.IsTrue(id.StartsWith("dev-"), id);
        }

        [TestMethod]
        public void Will_with_retain_closes_the_connection_when_retain_is_not_available()
        {
            BrokerOptions o = TestOptions.Device();
            o.RetainAvailable = false;
            FakeNet net = new FakeNet(o);
            ConnectSpec spec = new ConnectSpec("w");
            spec.WillTopic = "w";
            spec.WillMessage = "x";
            spec.WillRetain = true;
            FakeClient c = net.Open();
            c.Send(TestPackets.Connect(spec));
            c.ExpectNothing();
            Assert.IsTrue(c.IsClosed);
            Assert.AreEqual(1, (int)net.Engine.Counters.RetainUnavailable);
        }
    }
}
