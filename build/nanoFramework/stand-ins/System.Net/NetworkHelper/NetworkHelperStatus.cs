namespace nanoFramework.Networking
{
    /// <summary>
    /// Stand-in of nanoFramework's NetworkHelperStatus (lives in System.Net; WifiNetworkHelper.Status returns it).
    /// Same members in the same order as the real enum of System.Net 1.11.60, so logged numbers mean the same thing:
    /// Reconnecting was added after ExceptionOccurred, keeping the older values (nanoframework/System.Net PR #397).
    /// </summary>
    public enum NetworkHelperStatus
    {
        None,
        Started,
        NetworkIsReady,
        FailedNoNetworkInterface,
        TokenExpiredWaitingIPAddress,
        TokenExpiredWaitingDateTime,
        ErrorConnetingToWiFiWhileScanning,
        ExceptionOccurred,
        Reconnecting
    }
}
