using System.Reflection;

// The version the real package's assembly carries (nanoFramework.System.Device.Wifi 1.5.149).
[assembly: AssemblyVersion("1.5.149.0")]
