using System.Reflection;

// nanoFramework.M2Mqtt.Core 5.1.221; the real assembly version comes from Nerdbank.GitVersioning (no AssemblyVersion in
// its AssemblyInfo.cs) and is taken here as the package version: not checked against a built package (none is served).
[assembly: AssemblyVersion("5.1.221.0")]
