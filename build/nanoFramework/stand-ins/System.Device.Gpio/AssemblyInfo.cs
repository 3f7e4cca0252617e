using System.Reflection;

// The version the real package's assembly carries (nanoFramework.System.Device.Gpio 1.1.57).
[assembly: AssemblyVersion("1.1.57.0")]
