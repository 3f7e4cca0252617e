using System;
using System.Collections;

namespace nanoFramework.TestFramework
{
    public sealed class CollectionAssert
    {
        private CollectionAssert() { }

        public static void AreEqual(Array expected, Array actual, string message = "")
        {
            string why = Difference(expected, actual);
            if (why != null) Assert.Fail("CollectionAssert.AreEqual", why + " " + message);
        }

        public static void AreNotEqual(Array notExpected, Array actual, string message = "")
        {
            if (Difference(notExpected, actual) == null) Assert.Fail("CollectionAssert.AreNotEqual", message);
        }

        public static void Empty(ICollection collection, string message = "")
        {
            if (collection == null || collection.Count != 0) Assert.Fail("CollectionAssert.Empty", message);
        }

        public static void NotEmpty(ICollection collection, string message = "")
        {
            if (collection == null || collection.Count == 0) Assert.Fail("CollectionAssert.NotEmpty", message);
        }

        private static string Difference(Array expected, Array actual)
        {
            if (expected == null || actual == null)
            {
                return expected == actual ? null : "One collection is null.";
            }

            if (expected.Length != actual.Length)
            {
                return "Different lengths: expected " + expected.Length + ", actual " + actual.Length + ".";
            }

            for (int i = 0; i < expected.Length; i++)
            {
                object e = expected.GetValue(i);
                object a = actual.GetValue(i);
                if (e == null ? a != null : !e.Equals(a))
                {
                    return "Element " + i + " differs: expected <" + e + ">, actual <" + a + ">.";
                }
            }

            return null;
        }
    }
}
