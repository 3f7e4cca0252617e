/// <summary>A signature type as the value-type check sees it: its name, and whether it is a user-defined struct.</summary>
internal readonly record struct Shape(string Name, bool Struct);
