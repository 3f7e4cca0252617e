using System.Reflection;

// The version the real package's assembly carries, so a reference to "System.Net, Version=1.11.60.0" binds to it.
[assembly: AssemblyVersion("1.11.60.0")]
