using System;

namespace nanoFramework.TestFramework
{
    /// <summary>
    /// One row of arguments for a data-driven test (real: source/TestFrameworkShared/DataRowAttribute.cs): like the
    /// real one it refuses a null or empty row.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
    public class DataRowAttribute : Attribute
    {
        public DataRowAttribute(params object[] methodParameters)
        {
            if (methodParameters == null)
            {
                throw new ArgumentNullException("methodParameters can not be null");
            }

            if (methodParameters.Length == 0)
            {
                throw new ArgumentException("methodParameters can not be empty");
            }

            MethodParameters = methodParameters;
        }

        public object[] MethodParameters { get; }
    }
}
