namespace Device.Broker
{
    /// <summary>One line of a password or ACL file that was not taken, and why (set-up time: it holds a string).</summary>
    public sealed class LineError
    {
        public LineError(int line, string reason)
        {
            Line = line;
            Reason = reason;
        }

        /// <summary>1-based.</summary>
        public readonly int Line;

        public readonly string Reason;
    }
}
