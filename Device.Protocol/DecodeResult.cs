namespace Device.Protocol
{
    /// <summary>
    /// Outcome of framing or decoding. Every protocol violation has its own value so the engine can log
    /// exactly what a client did wrong and tests can prove each rule separately. Apart from NeedMore,
    /// every non-Ok value means the connection must be closed (3.1.1 section 4.8), except
    /// UnknownProtocolLevel, which the server first answers with CONNACK 1 ([MQTT-3.1.2-2]).
    /// </summary>
    public enum DecodeResult
    {
        Ok = 0,

        /// <summary>Not enough bytes yet; read more and call again with the same offset.</summary>
        NeedMore,

        // ---- Fixed header ------------------------------------------------------------------------

        /// <summary>The 4th remaining-length byte has its continuation bit set: a 5th byte is not allowed (2.2.3).</summary>
        MalformedRemainingLength,

        /// <summary>The whole packet would exceed the configured maximum; decided from the header alone.</summary>
        PacketTooLarge,

        /// <summary>Packet type 0 or 15: reserved ([MQTT-2.2.1], table 2.1).</summary>
        UnknownPacketType,

        /// <summary>Reserved fixed-header flags are wrong: PUBREL/SUBSCRIBE/UNSUBSCRIBE need 0010, the others 0000 ([MQTT-2.2.2-1], [MQTT-2.2.2-2], [MQTT-3.6.1-1], [MQTT-3.8.1-1], [MQTT-3.10.1-1]).</summary>
        InvalidHeaderFlags,

        /// <summary>A decoder was given a header of another packet type (a caller bug, not a peer's).</summary>
        WrongPacketType,

        // ---- Packet fields -----------------------------------------------------------------------

        /// <summary>PUBLISH with both QoS bits set ([MQTT-3.3.1-4]).</summary>
        InvalidQos,

        /// <summary>PUBLISH with DUP set on QoS 0 ([MQTT-3.3.1-2]).</summary>
        DupOnQos0,

        /// <summary>Packet identifier 0 where one is required ([MQTT-2.3.1-1]).</summary>
        ZeroPacketId,

        /// <summary>The remaining length disagrees with the fields inside: too short for them or bytes left over (2.2.3, 1.5.3).</summary>
        LengthMismatch,

        // ---- UTF-8 strings (1.5.3) ---------------------------------------------------------------

        /// <summary>Ill-formed UTF-8: bad lead or continuation byte, truncated sequence, overlong form, or beyond U+10FFFF ([MQTT-1.5.3-1]).</summary>
        InvalidUtf8,

        /// <summary>U+0000 inside a string ([MQTT-1.5.3-2]).</summary>
        Utf8NullCharacter,

        /// <summary>An encoded surrogate code point U+D800..U+DFFF ([MQTT-1.5.3-1]).</summary>
        Utf8Surrogate,

        // ---- Topics (4.7) ------------------------------------------------------------------------

        /// <summary>'+' or '#' in a topic name: PUBLISH topic or will topic ([MQTT-3.3.2-2]; the will topic is a topic name too, 3.1.3.2).</summary>
        WildcardInTopicName,

        /// <summary>A topic name or filter of zero length ([MQTT-4.7.3-1]).</summary>
        EmptyTopic,

        /// <summary>'#' not last or not alone in its level, or '+' not alone in its level ([MQTT-4.7.1-2], [MQTT-4.7.1-3]).</summary>
        InvalidTopicFilter,

        /// <summary>SUBSCRIBE or UNSUBSCRIBE without any topic filter ([MQTT-3.8.3-3], [MQTT-3.10.3-2]).</summary>
        NoTopicFilters,

        /// <summary>Requested QoS above 2 or reserved bits 7-2 set in a SUBSCRIBE options byte ([MQTT-3-8.3-4]).</summary>
        InvalidRequestedQos,

        // ---- CONNECT (3.1) -----------------------------------------------------------------------

        /// <summary>Protocol name is neither "MQTT" (3.1.1) nor "MQIsdp" (3.1) ([MQTT-3.1.2-1]).</summary>
        UnknownProtocolName,

        /// <summary>Known protocol name with an unsupported level; the server answers CONNACK 1 ([MQTT-3.1.2-2]).</summary>
        UnknownProtocolLevel,

        /// <summary>Reserved bit 0 of the connect flags is set (3.1.1 only) ([MQTT-3.1.2-3]).</summary>
        ConnectReservedFlag,

        /// <summary>Will QoS or will retain set while the will flag is clear ([MQTT-3.1.2-11], [MQTT-3.1.2-13], [MQTT-3.1.2-15]).</summary>
        WillFlagsWithoutWill,

        /// <summary>Will QoS 3 ([MQTT-3.1.2-14]).</summary>
        InvalidWillQos,

        /// <summary>Password flag set while the user name flag is clear (3.1.1 only) ([MQTT-3.1.2-22]).</summary>
        PasswordWithoutUsername,

        // ---- Server-to-client packets ------------------------------------------------------------

        /// <summary>CONNACK acknowledge flags with reserved bits 7-1 set, or session present with a non-zero return code ([MQTT-3.2.2-4], 3.2.2.1).</summary>
        InvalidConnackFlags,

        /// <summary>CONNACK return code above 5: reserved (3.2.2.3, table 3.1).</summary>
        InvalidConnectReturnCode,

        /// <summary>SUBACK return code other than 0x00, 0x01, 0x02, 0x80 ([MQTT-3.9.3-2]).</summary>
        InvalidSubackReturnCode,

        /// <summary>SUBACK without any return code: every SUBSCRIBE carries at least one filter ([MQTT-3.8.4-5], [MQTT-3.9.3-1]).</summary>
        NoReturnCodes,

        // ---- Limits the broker sets (the spec sets none) -------------------------------------------

        /// <summary>A topic name or filter with more levels than the broker's MaxTopicLevels (Mosquitto: TOPIC_HIERARCHY_LIMIT).</summary>
        TooManyTopicLevels
    }
}
