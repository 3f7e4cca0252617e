using Device.Net;

namespace Device.Hardware
{
    /// <summary>Bridge events on the board's serial log, prefixed like Mosquitto's ("bridge NAME: ...").</summary>
    internal sealed class BoardBridgeLog : IBridgeLog
    {
        public void BridgeLine(string name, string text)
        {
            Log.Line("bridge " + name + ": " + text);
        }
    }
}
