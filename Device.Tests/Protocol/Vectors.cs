namespace Device.Tests
{
    /// <summary>
    /// Byte-exact packets. "Spec" vectors are the non-normative examples of the OASIS MQTT 3.1.1 standard and the
    /// IBM MQTT 3.1 specification, completed into whole packets (the specs show only the fields); "Mosquitto"
    /// vectors are real traffic of mosquitto 2.0.11 and its clients (Captures/mosquitto-2.0.11.txt).
    /// </summary>
    internal static class Vectors
    {
        // ---- Spec examples ------------------------------------------------------------------------------------

        /// <summary>3.1.1 figure 3.6 variable header (MQTT, level 4, flags CE, keep alive 10) + payload c, w, m, u, p.</summary>
        public const string SpecConnect311 = "10 19 0004 4d515454 04 ce 000a 0001 63 0001 77 0001 6d 0001 75 0001 70";

        /// <summary>3.1 CONNECT variable header example (MQIsdp, version 3, flags CE, keep alive 10) + the same payload.</summary>
        public const string SpecConnect31 = "10 1b 0006 4d5149736470 03 ce 000a 0001 63 0001 77 0001 6d 0001 75 0001 70";

        /// <summary>3.1.1 3.3.2.3 example: topic "a/b", packet id 10 (QoS 1, empty payload).</summary>
        public const string SpecPublish = "32 07 0003 612f62 000a";

        /// <summary>3.1.1 3.8.3 payload example: "a/b" QoS 1, "c/d" QoS 2 (packet id 10).</summary>
        public const string SpecSubscribe = "82 0e 000a 0003 612f62 01 0003 632f64 02";

        /// <summary>3.1.1 3.9.3 payload example: QoS 0, QoS 2, failure (packet id 10).</summary>
        public const string SpecSuback = "90 05 000a 00 02 80";

        /// <summary>3.1.1 3.10.3 payload example: "a/b", "c/d" (packet id 10).</summary>
        public const string SpecUnsubscribe = "a2 0c 000a 0003 612f62 0003 632f64";

        // ---- Mosquitto 2.0.11, MQTT 3.1 (mosquitto_sub/pub -V mqttv31) ------------------------------------------

        /// <summary>Client "sub-mqttv31", clean session 0, keep alive 60, will "will/mqttv31"="bye" QoS 1 retained, user/pass.</summary>
        public const string M31ConnectFull = "103800064d514973647003ec003c000b7375622d6d717474763331000c77696c6c2f6d7174747633310003627965000475736572000470617373";
        public const string M31ConnectPlain = "101a00064d51497364700302003c000c707562302d6d717474763331";
        public const string M31Connack = "20020000";
        public const string M31Subscribe = "821400010003612f62020003632f2b020003642f2302";
        public const string M31Suback = "90050001020202";
        public const string M31PublishQos0 = "300b0003612f6268656c6c6f30";
        public const string M31PublishQos1Retain = "330d0003632f78000168656c6c6f31";
        public const string M31PublishQos2 = "340f0005642f652f66000168656c6c6f32";
        public const string M31PublishRetainClear = "31050003632f78";
        public const string M31Puback = "40020001";
        public const string M31Pubrec = "50020001";
        public const string M31Pubrel = "62020001";
        public const string M31Pubcomp = "70020001";
        public const string M31Unsubscribe = "a20700020003612f62";
        public const string M31Unsuback = "b0020002";
        public const string M31Pingreq = "c000";
        public const string M31Pingresp = "d000";
        public const string M31Disconnect = "e000";

        /// <summary>Connection 1 of the capture, client to server, as one byte stream.</summary>
        public const string M31ClientStream = M31ConnectFull + M31Subscribe + "40020001" + "50020002" + "70020002" + M31Disconnect;

        /// <summary>Connection 1 of the capture, server to client, as one byte stream.</summary>
        public const string M31ServerStream = M31Connack + M31Suback + M31PublishQos0 + "320d0003632f78000168656c6c6f31"
            + "340f0005642f652f66000268656c6c6f32" + "62020002";

        // ---- Mosquitto 2.0.11, MQTT 3.1.1 (mosquitto_sub/pub -V mqttv311) ---------------------------------------

        /// <summary>Client "sub-mqttv311", clean session 0, keep alive 60, will "will/mqttv311"="bye" QoS 1 retained, user/pass.</summary>
        public const string M311ConnectFull = "103800044d51545404ec003c000c7375622d6d71747476333131000d77696c6c2f6d717474763331310003627965000475736572000470617373";
        public const string M311ConnectPlain = "101900044d5154540402003c000d707562302d6d71747476333131";
        public const string M311Connack = "20020000";

        /// <summary>Reconnect of a persistent session: session present.</summary>
        public const string M311ConnackSessionPresent = "20020100";
        public const string M311Subscribe = "821400010003612f62020003632f2b020003642f2302";
        public const string M311Suback = "90050001020202";
        public const string M311PublishQos0 = "300b0003612f6268656c6c6f30";
        public const string M311PublishQos1Retain = "330d0003632f78000168656c6c6f31";
        public const string M311PublishQos2 = "340f0005642f652f66000168656c6c6f32";
        public const string M311Puback = "40020001";
        public const string M311Pubrec = "50020001";
        public const string M311Pubrel = "62020001";
        public const string M311Pubcomp = "70020001";
        public const string M311Unsubscribe = "a20700020003612f62";
        public const string M311Unsuback = "b0020002";
        public const string M311Pingreq = "c000";
        public const string M311Pingresp = "d000";
        public const string M311Disconnect = "e000";

        public const string M311ClientStream = M311ConnectFull + M311Subscribe + "40020001" + "50020002" + "70020002" + M311Disconnect;
        public const string M311ServerStream = M311Connack + M311Suback + M311PublishQos0 + "320d0003632f78000168656c6c6f31"
            + "340f0005642f652f66000268656c6c6f32" + "62020002";
    }
}
