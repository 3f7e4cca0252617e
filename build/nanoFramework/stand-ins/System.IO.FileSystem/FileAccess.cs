namespace System.IO
{
    /// <summary>Stand-in of nanoFramework's FileAccess: only the members hardware/ uses, with its real value.</summary>
    [Flags]
    public enum FileAccess
    {
        Read = 1,
        Write = 2,
    }
}
