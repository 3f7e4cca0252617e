namespace System.IO
{
    /// <summary>Stand-in of nanoFramework's FileMode: only the member hardware/ uses, with its real value.</summary>
    public enum FileMode
    {
        Open = 3,
    }
}
