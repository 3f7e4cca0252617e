using System.Reflection;

// The version the real package's assembly carries (nanoFramework.System.IO.Streams 1.1.96).
[assembly: AssemblyVersion("1.1.96.0")]
