using System;
using TestFrameworkShared;

namespace nanoFramework.TestFramework
{
    /// <summary>
    /// The assertion API of nanoFramework.TestFramework 3.x (real: source/TestFramework/Assert.cs, Assert.AreEqual.cs,
    /// Assert.AreNotEqual.cs): one overload per primitive type, no generics (generic instantiations crash the device
    /// runtime). Like the real class it declares no constructor, so it has the implicit public one.
    /// </summary>
    public sealed class Assert
    {

        public static void AreEqual(bool expected, bool actual, string message = "")
        {
            if (!Same(expected, actual)) Fail("AreEqual", "Expected:<" + Show(expected) + ">. Actual:<" + Show(actual) + ">. " + message);
        }

        public static void AreNotEqual(bool notExpected, bool actual, string message = "")
        {
            if (Same(notExpected, actual)) Fail("AreNotEqual", "Expected any value except:<" + Show(notExpected) + ">. Actual:<" + Show(actual) + ">. " + message);
        }

        public static void AreEqual(byte expected, byte actual, string message = "")
        {
            if (!Same(expected, actual)) Fail("AreEqual", "Expected:<" + Show(expected) + ">. Actual:<" + Show(actual) + ">. " + message);
        }

        public static void AreNotEqual(byte notExpected, byte actual, string message = "")
        {
            if (Same(notExpected, actual)) Fail("AreNotEqual", "Expected any value except:<" + Show(notExpected) + ">. Actual:<" + Show(actual) + ">. " + message);
        }

        public static void AreEqual(sbyte expected, sbyte actual, string message = "")
        {
            if (!Same(expected, actual)) Fail("AreEqual", "Expected:<" + Show(expected) + ">. Actual:<" + Show(actual) + ">. " + message);
        }

        public static void AreNotEqual(sbyte notExpected, sbyte actual, string message = "")
        {
            if (Same(notExpected, actual)) Fail("AreNotEqual", "Expected any value except:<" + Show(notExpected) + ">. Actual:<" + Show(actual) + ">. " + message);
        }

        public static void AreEqual(char expected, char actual, string message = "")
        {
            if (!Same(expected, actual)) Fail("AreEqual", "Expected:<" + Show(expected) + ">. Actual:<" + Show(actual) + ">. " + message);
        }

        public static void AreNotEqual(char notExpected, char actual, string message = "")
        {
            if (Same(notExpected, actual)) Fail("AreNotEqual", "Expected any value except:<" + Show(notExpected) + ">. Actual:<" + Show(actual) + ">. " + message);
        }

        public static void AreEqual(short expected, short actual, string message = "")
        {
            if (!Same(expected, actual)) Fail("AreEqual", "Expected:<" + Show(expected) + ">. Actual:<" + Show(actual) + ">. " + message);
        }

        public static void AreNotEqual(short notExpected, short actual, string message = "")
        {
            if (Same(notExpected, actual)) Fail("AreNotEqual", "Expected any value except:<" + Show(notExpected) + ">. Actual:<" + Show(actual) + ">. " + message);
        }

        public static void AreEqual(ushort expected, ushort actual, string message = "")
        {
            if (!Same(expected, actual)) Fail("AreEqual", "Expected:<" + Show(expected) + ">. Actual:<" + Show(actual) + ">. " + message);
        }

        public static void AreNotEqual(ushort notExpected, ushort actual, string message = "")
        {
            if (Same(notExpected, actual)) Fail("AreNotEqual", "Expected any value except:<" + Show(notExpected) + ">. Actual:<" + Show(actual) + ">. " + message);
        }

        public static void AreEqual(int expected, int actual, string message = "")
        {
            if (!Same(expected, actual)) Fail("AreEqual", "Expected:<" + Show(expected) + ">. Actual:<" + Show(actual) + ">. " + message);
        }

        public static void AreNotEqual(int notExpected, int actual, string message = "")
        {
            if (Same(notExpected, actual)) Fail("AreNotEqual", "Expected any value except:<" + Show(notExpected) + ">. Actual:<" + Show(actual) + ">. " + message);
        }

        public static void AreEqual(uint expected, uint actual, string message = "")
        {
            if (!Same(expected, actual)) Fail("AreEqual", "Expected:<" + Show(expected) + ">. Actual:<" + Show(actual) + ">. " + message);
        }

        public static void AreNotEqual(uint notExpected, uint actual, string message = "")
        {
            if (Same(notExpected, actual)) Fail("AreNotEqual", "Expected any value except:<" + Show(notExpected) + ">. Actual:<" + Show(actual) + ">. " + message);
        }

        public static void AreEqual(long expected, long actual, string message = "")
        {
            if (!Same(expected, actual)) Fail("AreEqual", "Expected:<" + Show(expected) + ">. Actual:<" + Show(actual) + ">. " + message);
        }

        public static void AreNotEqual(long notExpected, long actual, string message = "")
        {
            if (Same(notExpected, actual)) Fail("AreNotEqual", "Expected any value except:<" + Show(notExpected) + ">. Actual:<" + Show(actual) + ">. " + message);
        }

        public static void AreEqual(ulong expected, ulong actual, string message = "")
        {
            if (!Same(expected, actual)) Fail("AreEqual", "Expected:<" + Show(expected) + ">. Actual:<" + Show(actual) + ">. " + message);
        }

        public static void AreNotEqual(ulong notExpected, ulong actual, string message = "")
        {
            if (Same(notExpected, actual)) Fail("AreNotEqual", "Expected any value except:<" + Show(notExpected) + ">. Actual:<" + Show(actual) + ">. " + message);
        }

        public static void AreEqual(float expected, float actual, string message = "")
        {
            if (!Same(expected, actual)) Fail("AreEqual", "Expected:<" + Show(expected) + ">. Actual:<" + Show(actual) + ">. " + message);
        }

        public static void AreNotEqual(float notExpected, float actual, string message = "")
        {
            if (Same(notExpected, actual)) Fail("AreNotEqual", "Expected any value except:<" + Show(notExpected) + ">. Actual:<" + Show(actual) + ">. " + message);
        }

        public static void AreEqual(double expected, double actual, string message = "")
        {
            if (!Same(expected, actual)) Fail("AreEqual", "Expected:<" + Show(expected) + ">. Actual:<" + Show(actual) + ">. " + message);
        }

        public static void AreNotEqual(double notExpected, double actual, string message = "")
        {
            if (Same(notExpected, actual)) Fail("AreNotEqual", "Expected any value except:<" + Show(notExpected) + ">. Actual:<" + Show(actual) + ">. " + message);
        }

        public static void AreEqual(string expected, string actual, string message = "")
        {
            if (!Same(expected, actual)) Fail("AreEqual", "Expected:<" + Show(expected) + ">. Actual:<" + Show(actual) + ">. " + message);
        }

        public static void AreNotEqual(string notExpected, string actual, string message = "")
        {
            if (Same(notExpected, actual)) Fail("AreNotEqual", "Expected any value except:<" + Show(notExpected) + ">. Actual:<" + Show(actual) + ">. " + message);
        }

        public static void AreEqual(DateTime expected, DateTime actual, string message = "")
        {
            if (!Same(expected, actual)) Fail("AreEqual", "Expected:<" + Show(expected) + ">. Actual:<" + Show(actual) + ">. " + message);
        }

        public static void AreNotEqual(DateTime notExpected, DateTime actual, string message = "")
        {
            if (Same(notExpected, actual)) Fail("AreNotEqual", "Expected any value except:<" + Show(notExpected) + ">. Actual:<" + Show(actual) + ">. " + message);
        }

        public static void AreEqual(object expected, object actual, string message = "")
        {
            if (!Same(expected, actual)) Fail("AreEqual", "Expected:<" + Show(expected) + ">. Actual:<" + Show(actual) + ">. " + message);
        }

        public static void AreNotEqual(object notExpected, object actual, string message = "")
        {
            if (Same(notExpected, actual)) Fail("AreNotEqual", "Expected any value except:<" + Show(notExpected) + ">. Actual:<" + Show(actual) + ">. " + message);
        }

        public static void IsTrue(bool condition, string message = "")
        {
            if (!condition) Fail("IsTrue", message);
        }

        public static void IsFalse(bool condition, string message = "")
        {
            if (condition) Fail("IsFalse", message);
        }

        public static void IsNull(object value, string message = "")
        {
            if (value != null) Fail("IsNull", "Actual:<" + Show(value) + ">. " + message);
        }

        public static void IsNotNull(object value, string message = "")
        {
            if (value == null) Fail("IsNotNull", message);
        }

        public static void AreSame(object expected, object actual, string message = "")
        {
            if (!ReferenceEquals(expected, actual)) Fail("AreSame", message);
        }

        public static void AreNotSame(object notExpected, object actual, string message = "")
        {
            if (ReferenceEquals(notExpected, actual)) Fail("AreNotSame", message);
        }

        /// <summary>Passes only when value's type is exactly expectedType, as the real assertion (it compares GetType()).</summary>
        public static void IsInstanceOfType(object value, Type expected, string message = "")
        {
            if (value == null || expected != value.GetType())
            {
                Fail("IsInstanceOfType", "Expected type:<" + (expected == null ? "(null)" : expected.FullName) + ">. " + message);
            }
        }

        public static void IsNotInstanceOfType(object value, Type notExpected, string message = "")
        {
            if (value != null && notExpected == value.GetType())
            {
                Fail("IsNotInstanceOfType", "Wrong type:<" + notExpected.FullName + ">. " + message);
            }
        }

        public static void ThrowsException(Type exception, Action action, string message = "")
        {
            try
            {
                action();
            }
            catch (Exception ex)
            {
                if (ex.GetType() != exception)
                {
                    Fail("ThrowsException", "Expected exception type:<" + exception.FullName + ">. Actual exception type:<" + ex.GetType().FullName + ">. " + message);
                }

                return;
            }

            Fail("ThrowsException", "Expected exception type:<" + exception.FullName + "> but no exception was thrown. " + message);
        }

        public static void Contains(string expected, string value, string message = "")
        {
            if (value == null || expected == null || value.IndexOf(expected) < 0) Fail("Contains", "'" + expected + "' not in '" + value + "'. " + message);
        }

        public static void DoesNotContains(string notExpected, string value, string message = "")
        {
            if (value == null || notExpected == null || value.IndexOf(notExpected) >= 0) Fail("DoesNotContains", "'" + value + "' should not contain '" + notExpected + "'. " + message);
        }

        public static void StartsWith(string expected, string value, string message = "")
        {
            if (value == null || expected == null || !value.StartsWith(expected)) Fail("StartsWith", "'" + value + "' does not start with '" + expected + "'. " + message);
        }

        public static void EndsWith(string expected, string value, string message = "")
        {
            if (value == null || expected == null || !value.EndsWith(expected)) Fail("EndsWith", "'" + value + "' does not end with '" + expected + "'. " + message);
        }

        public static void SkipTest(string message = null)
        {
            throw new SkipTestException(message);
        }

        internal static void Fail(string assertion, string message)
        {
            throw new AssertFailedException("Assert." + assertion + " failed. " + message);
        }

        private static bool Same(object expected, object actual)
        {
            if (expected == null) return actual == null;
            return expected.Equals(actual);
        }

        private static string Show(object value)
        {
            return value == null ? "(null)" : value.ToString();
        }
    }
}
