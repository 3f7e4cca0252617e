using Device.Broker;
using Device.Protocol;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    /// <summary>ByteView as the app sees it: handed over by a local subscription, read inside the call.</summary>
    [TestClass]
    public class ByteViewTests
    {
        [TestMethod]
        public void Is_StartsWith_index_and_copy_read_the_utf8_bytes()
        {
            // "t/e-acute/euro": 1 + 1 + 2 + 1 + 3 bytes, built from char codes (no non-ASCII literals, docs/PLATFORM.md).
            string text = "t/" + (char)0xE9 + "/" + (char)0x20AC;
            byte[] b = new byte[Utf8.ByteCount(text)];
            Utf8.Encode(text, b, 0);
            FakeNet net = new FakeNet(TestOptions.Embedded());
            CheckingHandler h = new CheckingHandler();
            h.Text = text;
            h.Bytes = b;
            net.Engine.Subscribe("#", h);
            Assert.AreEqual((int)PublishResult.Ok, (int)net.Engine.Publish(b, 0, b.Length, b, 0, 2, 0, false));
            Assert.AreEqual("", h.Failure);
            Assert.IsTrue(h.Ran);
        }

        [TestMethod]
        public void Is_compares_a_supplementary_character_as_its_four_utf8_bytes()
        {
            // U+1F600 from its surrogate codes at run time: F0 9F 98 80 on the wire.
            string grin = "" + (char)0xD83D + (char)0xDE00;
            byte[] b = new byte[] { (byte)'s', (byte)'/', 0xF0, 0x9F, 0x98, 0x80 };
            FakeNet net = new FakeNet(TestOptions.Embedded());
            SupplementaryHandler h = new SupplementaryHandler();
            h.Grin = grin;
            net.Engine.Subscribe("s/#", h);
            Assert.AreEqual((int)PublishResult.Ok, (int)net.Engine.Publish(b, 0, b.Length, b, 0, 1, 0, false));
            Assert.IsTrue(h.Ran);
            Assert.AreEqual("", h.Failure);
        }

        private sealed class SupplementaryHandler : IMessageHandler
        {
            public string Grin;
            public string Failure = "";
            public bool Ran;

            public void OnMessage(LocalMessage message)
            {
                Ran = true;
                ByteView v = message.Topic;
                if (!v.Is("s/" + Grin))
                {
                    Failure += "Is(s/U+1F600); ";
                }

                if (!v.StartsWith("s/" + (char)0xD83D + (char)0xDE00))
                {
                    Failure += "StartsWith; ";
                }

                if (v.Is("s/" + (char)0xD83D + (char)0xDE01))
                {
                    Failure += "another character matched; ";
                }
            }
        }

        private sealed class CheckingHandler : IMessageHandler
        {
            public string Text;
            public byte[] Bytes;
            public string Failure = "";
            public bool Ran;

            public void OnMessage(LocalMessage message)
            {
                Ran = true;
                ByteView v = message.Topic;
                Check(v.Length == 8, "length");
                Check(v.Present, "present");
                Check(v.Is(Text), "Is(text)");
                Check(v.StartsWith("t/"), "StartsWith ascii");
                Check(v.StartsWith("t/" + (char)0xE9), "StartsWith two-byte");
                Check(!v.Is("t/"), "a prefix is not Is");
                Check(!v.Is(Text + "x"), "longer text");
                Check(!v.StartsWith("t/e"), "different character");
                Check(v.ToString() == Text, "ToString");
                Check(v[0] == (byte)'t' && v[7] == Bytes[7], "indexer");
                Check(v.Equals(Bytes, 0, 8), "Equals bytes");
                byte[] copy = new byte[8];
                Check(v.CopyTo(copy, 0) == 8 && copy[3] == Bytes[3], "CopyTo");
                bool threw = false;
                try
                {
                    byte x = v[8];
                }
                catch (System.IndexOutOfRangeException)
                {
                    threw = true;
                }

                Check(threw, "index past the end throws");
                Check(message.Payload.Length == 2 && message.Payload.Is("t/"), "payload view");
            }

            private void Check(bool ok, string what)
            {
                if (!ok)
                {
                    Failure += what + "; ";
                }
            }
        }
    }
}
