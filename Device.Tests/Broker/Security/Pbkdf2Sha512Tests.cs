using Device.Broker;
using nanoFramework.TestFramework;

namespace Device.Tests
{
    /// <summary>SHA-512 and PBKDF2-HMAC-SHA512 on the board's own code, against published vectors (FIPS 180-4 examples, RFC 6070-style PBKDF2 vectors for SHA-512).</summary>
    [TestClass]
    public class Pbkdf2Sha512Tests
    {
        [TestMethod]
        [DataRow("", "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e")]
        [DataRow("abc", "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")]
        [DataRow("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909")]
        public void Sha512_of_the_standard_examples(string message, string digest)
        {
            Sha512 sha = new Sha512();
            byte[] m = Bytes.Ascii(message);
            byte[] output = new byte[64];
            sha.Reset();
            // Fed in two uneven pieces: the block boundary must not matter.
            int half = m.Length / 3;
            sha.Update(m, 0, half);
            sha.Update(m, half, m.Length - half);
            sha.Final(output, 0);
            Assert.AreEqual(digest, Bytes.ToHex(output, 0, 64));
        }

        [TestMethod]
        [DataRow(1, "867f70cf1ade02cff3752599a3a53dc4af34c7a669815ae5d513554e1c8cf252c02d470a285a0501bad999bfe943c08f050235d7d68b1da55e63f73b60a57fce")]
        [DataRow(2, "e1d9c16aa681708a45f5c7c4e215ceb66e011a2e9f0040713f18aefdb866d53cf76cab2868a39b9f7840edce4fef5a82be67335c77a6068e04112754f27ccf4e")]
        [DataRow(4096, "d197b1b33db0143e018b12f3d1d1479e6cdebdcc97c5c0f87f6902e072f457b5143f30602641b3d55cd335988cb36b84376060ecd532e039b742a239434af2d5")]
        public void Pbkdf2_of_password_and_salt(int iterations, string derived)
        {
            Pbkdf2Sha512 kdf = new Pbkdf2Sha512();
            byte[] password = Bytes.Ascii("password");
            byte[] salt = Bytes.Ascii("salt");
            byte[] output = new byte[64];
            kdf.Derive(password, 0, password.Length, salt, 0, salt.Length, iterations, output, 0);
            Assert.AreEqual(derived, Bytes.ToHex(output, 0, 64));
        }
    }
}
