namespace System.Net.Sockets
{
    /// <summary>Stand-in of nanoFramework's SelectMode.</summary>
    public enum SelectMode
    {
        SelectRead = 0,
        SelectWrite = 1,
        SelectError = 2
    }
}
