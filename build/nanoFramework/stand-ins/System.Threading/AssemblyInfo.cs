using System.Reflection;

// The version the real package's assembly carries (nanoFramework.System.Threading 1.1.52).
[assembly: AssemblyVersion("1.1.52.34401")]
