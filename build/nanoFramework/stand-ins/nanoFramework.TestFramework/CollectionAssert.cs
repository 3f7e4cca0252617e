using System.Collections;

namespace nanoFramework.TestFramework
{
    /// <summary>
    /// Collection assertions of nanoFramework.TestFramework 3.x (real: source/TestFramework/CollectionAssert.cs): they take
    /// ICollection (an array is one) and compare element by element with object.Equals, in enumeration order.
    /// </summary>
    public sealed class CollectionAssert
    {
        public static void Empty(ICollection collection, string message = "")
        {
            if (collection == null || collection.Count != 0) Assert.Fail("CollectionAssert.Empty", message);
        }

        public static void NotEmpty(ICollection collection, string message = "")
        {
            if (collection == null || collection.Count == 0) Assert.Fail("CollectionAssert.NotEmpty", message);
        }

        public static void AreEqual(ICollection expected, ICollection actual, string message = "")
        {
            string why = Difference(expected, actual);
            if (why != null) Assert.Fail("CollectionAssert.AreEqual", why + " " + message);
        }

        public static void AreNotEqual(ICollection notExpected, ICollection actual, string message = "")
        {
            if (Difference(notExpected, actual) == null) Assert.Fail("CollectionAssert.AreNotEqual", message);
        }

        // null when equal: same reference, or the same count and pairwise object.Equals elements.
        private static string Difference(ICollection expected, ICollection actual)
        {
            if (expected == actual) return null;
            if (expected == null || actual == null) return "One collection is null.";
            if (expected.Count != actual.Count)
            {
                return "Different number of elements: expected " + expected.Count + ", actual " + actual.Count + ".";
            }

            IEnumerator e = expected.GetEnumerator();
            IEnumerator a = actual.GetEnumerator();
            for (int i = 0; e.MoveNext() && a.MoveNext(); i++)
            {
                if (!object.Equals(e.Current, a.Current))
                {
                    return "Element at index " + i + " do not match. Expected:<" + e.Current + ">. Actual:<" + a.Current + ">.";
                }
            }

            return null;
        }
    }
}
