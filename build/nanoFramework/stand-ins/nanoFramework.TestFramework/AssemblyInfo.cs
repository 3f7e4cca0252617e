using System.Reflection;

// The version the real package's assembly carries, so "nanoFramework.TestFramework, Version=3.0.80.0" binds to it.
[assembly: AssemblyVersion("3.0.80.0")]
