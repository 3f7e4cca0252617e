using System.Reflection;

// The version the real package's assembly carries (nanoFramework.System.IO.FileSystem 1.1.93).
[assembly: AssemblyVersion("1.1.93.0")]
