namespace Mqtt.Tools
{
    /// <summary>Where pub takes its message from (-m, -f, -s, -l, -n).</summary>
    public enum MessageMode { None, Command, File, StdinFile, StdinLine, Null }
}
