using System.Reflection;

// Empty on purpose: only the assembly's name and version matter to the build (nanoFramework.Runtime.Events 1.11.37).
[assembly: AssemblyVersion("1.11.37.0")]
