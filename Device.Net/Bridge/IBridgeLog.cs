namespace Device.Net
{
    /// <summary>Where a bridge reports its connection events (never per message): the host's log, the board's serial line.</summary>
    public interface IBridgeLog
    {
        void BridgeLine(string name, string text);
    }
}
