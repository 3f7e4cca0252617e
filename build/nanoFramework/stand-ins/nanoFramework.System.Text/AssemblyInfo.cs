using System.Reflection;

// Empty on purpose: only the assembly's name and version matter to the build (nanoFramework.System.Text 1.3.42).
[assembly: AssemblyVersion("1.3.42.0")]
