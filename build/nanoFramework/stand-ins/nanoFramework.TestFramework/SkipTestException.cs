using System;

namespace nanoFramework.TestFramework
{
    /// <summary>Thrown by Assert.SkipTest (real: source/TestFrameworkShared/SkipTestException.cs, one optional-argument constructor).</summary>
    public class SkipTestException : Exception
    {
        public SkipTestException(string message = null, Exception innerException = null) : base(message, innerException) { }
    }
}
