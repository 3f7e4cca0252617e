using System;

namespace nanoFramework.TestFramework
{
    /// <summary>Marks a class of tests (real: source/TestFrameworkShared/TestClassAttribute.cs).</summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
    public class TestClassAttribute : Attribute
    {
        public virtual TestMethodAttribute GetTestMethodAttribute(TestMethodAttribute testMethodAttribute)
        {
            return testMethodAttribute;
        }
    }
}
