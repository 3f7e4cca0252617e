using System;

namespace nanoFramework.TestFramework
{
    /// <summary>Marks a test method (real: source/TestFrameworkShared/TestMethodAttribute.cs).</summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
    public class TestMethodAttribute : Attribute
    {
    }
}
