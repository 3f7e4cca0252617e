using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System;
using Xunit;
using nanoFramework.TestFramework;

namespace Host.Tests
{
    /// <summary>
    /// Runs the device-style tests (nanoFramework.TestFramework attributes) under xunit: one xunit case per
    /// [TestMethod], or per [DataRow] of it, so the counts CI prints are the counts of real test methods.
    /// Mirrors the on-device launcher: [Setup]/[Cleanup] once per class, and no constructor is run for the
    /// instance (the device launcher passes none), so a test that leans on instance state fails here too.
    /// </summary>
    public class DeviceTestAdapter : IClassFixture<DeviceTestAdapter.ClassCleanups>
    {
        private static readonly object Gate = new object();
        private static readonly HashSet<Type> SetUp = new HashSet<Type>();

        public static IEnumerable<object[]> Cases()
        {
            foreach (MethodInfo method in TestMethods())
            {
                var rows = method.GetCustomAttributes<DataRowAttribute>().ToArray();
                if (rows.Length == 0)
                {
                    yield return new object[] { Name(method) };
                }

                for (int i = 0; i < rows.Length; i++)
                {
                    yield return new object[] { Name(method) + "#" + i + "(" + string.Join(", ", rows[i].MethodParameters ?? new object[0]) + ")" };
                }
            }
        }

        [SkippableTheory(typeof(SkipTestException))]
        [MemberData(nameof(Cases))]
        public void Run(string test)
        {
            string methodName = test;
            int row = -1;
            int hash = test.IndexOf('#');
            if (hash >= 0)
            {
                methodName = test.Substring(0, hash);
                row = int.Parse(test.Substring(hash + 1, test.IndexOf('(', hash) - hash - 1));
            }

            MethodInfo method = TestMethods().Single(m => Name(m) == methodName);
            object[] args = row < 0 ? null : method.GetCustomAttributes<DataRowAttribute>().ElementAt(row).MethodParameters;

            Execute(method, args);
        }

        internal static void Execute(MethodInfo method, object[] args)
        {
            lock (Gate)
            {
                EnsureSetUp(method.DeclaringType);
                Invoke(method, args);
            }
        }

        internal static IEnumerable<MethodInfo> TestMethods()
        {
            return typeof(DeviceTestAdapter).Assembly.GetTypes()
                .Where(t => t.GetCustomAttribute<TestClassAttribute>() != null)
                .OrderBy(t => t.FullName, StringComparer.Ordinal)
                .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                    .Where(m => m.GetCustomAttribute<TestMethodAttribute>() != null)
                    .OrderBy(m => m.Name, StringComparer.Ordinal));
        }

        private static string Name(MethodInfo method)
        {
            return method.DeclaringType.FullName + "." + method.Name;
        }

        private static void EnsureSetUp(Type type)
        {
            if (!SetUp.Add(type))
            {
                return;
            }

            foreach (MethodInfo setup in Marked<SetupAttribute>(type))
            {
                Invoke(setup, null);
            }
        }

        private static IEnumerable<MethodInfo> Marked<T>(Type type) where T : Attribute
        {
            return type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Where(m => m.GetCustomAttribute<T>() != null);
        }

        private static void Invoke(MethodInfo method, object[] args)
        {
            object instance = method.IsStatic ? null : RuntimeHelpers.GetUninitializedObject(method.DeclaringType);
            try
            {
                method.Invoke(instance, args);
            }
            catch (TargetInvocationException e) when (e.InnerException != null)
            {
                ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            }
        }

        /// <summary>Runs every [Cleanup] of the classes that were set up, once, after all cases.</summary>
        public sealed class ClassCleanups : IDisposable
        {
            public void Dispose()
            {
                lock (Gate)
                {
                    foreach (Type type in SetUp)
                    {
                        foreach (MethodInfo cleanup in Marked<CleanupAttribute>(type))
                        {
                            Invoke(cleanup, null);
                        }
                    }

                    SetUp.Clear();
                }
            }
        }
    }
}
