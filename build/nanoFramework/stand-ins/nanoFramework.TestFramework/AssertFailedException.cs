using System;

// The real package keeps this exception in namespace TestFrameworkShared (source/TestFrameworkShared/
// AssertFailedException.cs), although it ships in the nanoFramework.TestFramework assembly.
namespace TestFrameworkShared
{
    /// <summary>Thrown by every failing assertion.</summary>
    public class AssertFailedException : Exception
    {
        public AssertFailedException(string msg, Exception ex) : base(msg, ex) { }

        public AssertFailedException(string msg) : base(msg) { }

        public AssertFailedException() { }
    }
}
