namespace nanoFramework.Runtime.Native
{
    /// <summary>Stand-in of the handler type of Power.OnRebootEvent.</summary>
    public delegate void RebootEventHandler();
}
