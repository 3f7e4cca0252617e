using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    [TestClass]
    public class Utf8Tests
    {
        [TestMethod]
        [DataRow("")]
        [DataRow("41")]
        [DataRow("41 f0aa9b94")]     // 3.1.1 figure 1.3: "A" U+2A6D4
        [DataRow("c280")]            // U+0080, smallest 2-byte form
        [DataRow("dfbf")]            // U+07FF
        [DataRow("e0a080")]          // U+0800, smallest 3-byte form
        [DataRow("ed9fbf")]          // U+D7FF, just below the surrogates
        [DataRow("ee8080")]          // U+E000, just above them
        [DataRow("efbbbf")]          // U+FEFF: a BOM is a character, not to be stripped [MQTT-1.5.3-3]
        [DataRow("efbfbf")]          // U+FFFF
        [DataRow("f0908080")]        // U+10000, smallest 4-byte form
        [DataRow("f48fbfbf")]        // U+10FFFF, the last code point
        [DataRow("01 1f 7f c29f")]   // control characters are only a SHOULD NOT: accepted
        public void Well_formed_utf8_is_valid(string hex)
        {
            byte[] b = Bytes.Hex(hex);
            Assert.AreEqual(DecodeResult.Ok, Utf8.Validate(b, 0, b.Length));
        }

        [TestMethod]
        [DataRow("80")]              // continuation byte without a lead
        [DataRow("bf")]
        [DataRow("c0 80")]           // overlong U+0000
        [DataRow("c1 bf")]           // overlong U+007F
        [DataRow("e0 80 80")]        // overlong 3-byte
        [DataRow("e0 9f bf")]        // overlong U+07FF
        [DataRow("f0 80 80 80")]     // overlong 4-byte
        [DataRow("f0 8f bf bf")]     // overlong U+FFFF
        [DataRow("f4 90 80 80")]     // U+110000: beyond Unicode
        [DataRow("f5 80 80 80")]
        [DataRow("f8 88 80 80 80")]
        [DataRow("fe")]
        [DataRow("ff")]
        [DataRow("c3")]              // truncated 2-byte
        [DataRow("e2 82")]           // truncated 3-byte
        [DataRow("f0 9f 98")]        // truncated 4-byte
        [DataRow("c3 41")]           // lead followed by ASCII
        [DataRow("e2 28 a1")]        // bad second byte
        [DataRow("e2 82 28")]        // bad third byte
        [DataRow("f0 9f 98 28")]     // bad fourth byte
        public void Ill_formed_utf8_is_rejected(string hex)
        {
            byte[] b = Bytes.Hex(hex);
            Assert.AreEqual(DecodeResult.InvalidUtf8, Utf8.Validate(b, 0, b.Length));
        }

        [TestMethod]
        [DataRow("00")]
        [DataRow("61 00 62")]
        [DataRow("e282ac 00")]
        public void Null_character_is_rejected(string hex)
        {
            byte[] b = Bytes.Hex(hex);
            Assert.AreEqual(DecodeResult.Utf8NullCharacter, Utf8.Validate(b, 0, b.Length));
        }

        [TestMethod]
        [DataRow("eda080")]          // U+D800
        [DataRow("edafbf")]          // U+DBFF
        [DataRow("edb080")]          // U+DC00
        [DataRow("edbfbf")]          // U+DFFF
        [DataRow("61 eda0bd edb880")] // a surrogate pair encoded as two 3-byte sequences (CESU-8)
        public void Encoded_surrogate_is_rejected(string hex)
        {
            byte[] b = Bytes.Hex(hex);
            Assert.AreEqual(DecodeResult.Utf8Surrogate, Utf8.Validate(b, 0, b.Length));
        }

        [TestMethod]
        public void Validation_stays_inside_the_given_range()
        {
            // The bytes around the range are invalid; only the middle is looked at.
            byte[] b = Bytes.Hex("ff 61 62 c3");
            Assert.AreEqual(DecodeResult.Ok, Utf8.Validate(b, 1, 2));
            // A sequence cut by the end of the range is truncated even if the buffer continues.
            byte[] c = Bytes.Hex("61 c3 a9");
            Assert.AreEqual(DecodeResult.InvalidUtf8, Utf8.Validate(c, 0, 2));
        }

        [TestMethod]
        [DataRow("", "")]
        [DataRow("abc", "616263")]
        [DataRow("\u00e9", "c3a9")]
        [DataRow("\u20ac", "e282ac")]
        [DataRow("\uffef", "efbfaf")]
        // No supplementary character here: nanoCLR keeps strings as UTF-8 and its indexer returns the high surrogate at
        // both positions of one, so a string-walking encoder cannot be tested with them on the device (docs/PLATFORM.md).
        // 4-byte sequences are covered as bytes (Well_formed_utf8_is_valid, Decode_replaces_ill_formed_sequences).
        public void Encode_writes_utf8_and_ByteCount_predicts_it(string s, string hex)
        {
            AssertEncodes(s, hex);
        }

        private static void AssertEncodes(string s, string hex)
        {
            byte[] dst = Bytes.Filled(16, 0xEE);
            int n = Utf8.Encode(s, dst, 3);
            Assert.AreEqual(n, Utf8.ByteCount(s));
            Frames.AssertWritten(hex, dst, 3, n);
            Assert.AreEqual((byte)0xEE, dst[3 + n], "wrote past its count");
        }

        [TestMethod]
        public void Encode_turns_lone_surrogates_into_replacement_characters()
        {
            // Over char arrays (UTF-16 on every runtime), built at run time: the metadata processor turns a lone
            // surrogate in a string literal (or a DataRow) into U+FFFD, and nanoCLR's UTF-8 strings cannot be relied on
            // to keep one at all (docs/PLATFORM.md). The string overloads are checked against these on .NET
            // (host test StringIndexingTests).
            AssertEncodesChars(Codes(0xD800), "efbfbd");
            AssertEncodesChars(Codes(0xDC00, 'x'), "efbfbd78");
            AssertEncodesChars(Codes('a', 0xD800, 0xD800, 'b'), "61efbfbdefbfbd62");
            AssertEncodesChars(Codes('a', 0xDC00, 0xD800), "61efbfbdefbfbd");
        }

        [TestMethod]
        public void Encode_writes_a_supplementary_character_as_four_bytes()
        {
            // U+1F600 and U+10FFFF built from their surrogate codes at run time (no literal: see the rule in
            // docs/PLATFORM.md). Encode reads the string through ToCharArray, which gives the real pair on nanoCLR too,
            // where the indexer would give the high surrogate twice.
            AssertEncodes(Chars('a', 0xD83D, 0xDE00, 'b'), "61f09f988062");
            AssertEncodes(Chars(0xDBFF, 0xDFFF), "f48fbfbf");
            AssertEncodesChars(Codes('/', 0xD83D, 0xDE00), "2ff09f9880");
            // Round trip through Decode: the same pair comes back.
            byte[] b = Bytes.Hex("f09f9880");
            char[] back = Utf8.Decode(b, 0, b.Length).ToCharArray();
            Assert.AreEqual(2, back.Length);
            Assert.AreEqual(0xD83D, (int)back[0]);
            Assert.AreEqual(0xDE00, (int)back[1]);
        }

        [TestMethod]
        public void Encode_of_the_high_surrogate_twice_is_what_string_indexing_on_nanoCLR_would_write()
        {
            // What a string-indexing encoder would read on nanoCLR for U+1F600: D83D at both positions. Encoded, that is
            // two replacement characters, not F0 9F 98 80: the reason Encode never indexes a string.
            AssertEncodesChars(Codes(0xD83D, 0xD83D), "efbfbdefbfbd");
        }

        private static void AssertEncodesChars(char[] c, string hex)
        {
            byte[] dst = Bytes.Filled(16, 0xEE);
            // A range inside a larger array: one code unit of padding on each side.
            char[] padded = new char[c.Length + 2];
            padded[0] = 'X';
            padded[padded.Length - 1] = 'Y';
            for (int i = 0; i < c.Length; i++)
            {
                padded[i + 1] = c[i];
            }

            int n = Utf8.Encode(padded, 1, c.Length, dst, 3);
            Assert.AreEqual(n, Utf8.ByteCount(padded, 1, c.Length));
            Frames.AssertWritten(hex, dst, 3, n);
            Assert.AreEqual((byte)0xEE, dst[3 + n], "wrote past its count");
        }

        private static char[] Codes(params int[] codes)
        {
            char[] c = new char[codes.Length];
            for (int i = 0; i < codes.Length; i++)
            {
                c[i] = (char)codes[i];
            }

            return c;
        }

        private static string Chars(params int[] codes)
        {
            return new string(Codes(codes));
        }

        [TestMethod]
        [DataRow("abc")]
        [DataRow("gr\u00fc\u00df dich")]
        [DataRow("\u20ac/\u4e2d\u6587/\uffef")]
        public void Decode_inverts_Encode(string s)
        {
            byte[] b = new byte[Utf8.ByteCount(s) + 2];
            int n = Utf8.Encode(s, b, 2);
            Assert.AreEqual(DecodeResult.Ok, Utf8.Validate(b, 2, n));
            Assert.AreEqual(s, Utf8.Decode(b, 2, n));
        }

        [TestMethod]
        public void Decode_replaces_ill_formed_sequences()
        {
            byte[] b = Bytes.Hex("61 ff 62 eda080 63");
            Assert.AreEqual("a\ufffdb\ufffd\ufffd\ufffdc", Utf8.Decode(b, 0, b.Length));
        }

        [TestMethod]
        public void Equals_compares_ranges_bytewise()
        {
            byte[] a = Bytes.Ascii("xxa/bxx");
            byte[] b = Bytes.Ascii("a/b");
            Assert.IsTrue(Utf8.Equals(a, 2, 3, b, 0, 3));
            Assert.IsFalse(Utf8.Equals(a, 2, 3, b, 0, 2));
            Assert.IsFalse(Utf8.Equals(a, 1, 3, b, 0, 3));
            Assert.IsTrue(Utf8.Equals(a, 0, 0, b, 3, 0));
        }
    }
}
