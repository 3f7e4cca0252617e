namespace System.IO
{
    /// <summary>Stand-in of nanoFramework's FileMode: only the members hardware/ uses, with its real value.</summary>
    public enum FileMode
    {
        Create = 2,
        Open = 3,
    }
}
