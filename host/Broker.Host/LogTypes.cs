using System;

namespace Broker.Host
{
    /// <summary>Mosquitto's log_type values; None means "not set", which is Mosquitto's default of error, warning, notice, information.</summary>
    [Flags]
    public enum LogTypes
    {
        None = 0,
        Error = 1,
        Warning = 2,
        Notice = 4,
        Information = 8,
        Subscribe = 16,
        Unsubscribe = 32,
        Debug = 64,
        Websockets = 128,
        Default = Error | Warning | Notice | Information,
        All = Error | Warning | Notice | Information | Subscribe | Unsubscribe | Debug | Websockets,
    }
}
