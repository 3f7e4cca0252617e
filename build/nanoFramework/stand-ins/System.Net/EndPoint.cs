namespace System.Net
{
    /// <summary>Stand-in of nanoFramework's abstract EndPoint (its Serialize/Create members are not used here).</summary>
    [Serializable]
    public abstract class EndPoint
    {
    }
}
