using System;

namespace nanoFramework.TestFramework
{
    public class AssertFailedException : Exception
    {
        public AssertFailedException(string message) : base(message) { }
    }

    public class SkipTestException : Exception
    {
        public SkipTestException(string message) : base(message) { }
    }

    public static class OutputHelper
    {
        public static void WriteLine(string message)
        {
            Console.WriteLine(message);
        }
    }
}
