using System;

namespace nanoFramework.TestFramework
{
    /// <summary>Runs once per class, before its first test (real: source/TestFrameworkShared/SetupAttribute.cs).</summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
    public class SetupAttribute : Attribute
    {
    }
}
