using System;
using nanoFramework.TestFramework;
using TestFrameworkShared;

namespace Device.Tests
{
    // The assertions are the ground every other test stands on: prove they fail when they should.
    [TestClass]
    public class TestFrameworkTests
    {
        [TestMethod]
        public void AreEqual_fails_on_different_values()
        {
            Assert.ThrowsException(typeof(AssertFailedException), () => Assert.AreEqual(1, 2));
            Assert.ThrowsException(typeof(AssertFailedException), () => Assert.AreEqual("a", "b"));
        }

        [TestMethod]
        public void CollectionAssert_fails_on_one_different_byte()
        {
            Assert.ThrowsException(typeof(AssertFailedException),
                () => CollectionAssert.AreEqual(new byte[] { 1, 2, 3 }, new byte[] { 1, 2, 4 }));
            CollectionAssert.AreEqual(new byte[] { 1, 2, 3 }, new byte[] { 1, 2, 3 });
        }

        [TestMethod]
        [DataRow(3, 4, 7)]
        [DataRow(-1, 1, 0)]
        public void DataRow_passes_each_row(int a, int b, int sum)
        {
            Assert.AreEqual(sum, a + b);
        }
    }
}
