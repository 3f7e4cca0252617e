using System;

namespace nanoFramework.TestFramework
{
    /// <summary>Runs once per class, after its last test (real: source/TestFrameworkShared/CleanupAttribute.cs).</summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
    public class CleanupAttribute : Attribute
    {
    }
}
