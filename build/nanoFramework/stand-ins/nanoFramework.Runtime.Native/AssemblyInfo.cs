using System.Reflection;

// The version the real package's assembly carries (nanoFramework.Runtime.Native 1.7.11).
[assembly: AssemblyVersion("1.7.11.0")]
