namespace nanoFramework.Networking
{
    /// <summary>
    /// Stand-in of nanoFramework's NetworkHelperStatus (lives in System.Net; WifiNetworkHelper.Status returns it).
    /// Same members in the same order as the real enum, so logged numbers mean the same thing.
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
        Reconnecting,
        ExceptionOccurred
    }
}
