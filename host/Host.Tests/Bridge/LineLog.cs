using System.Collections.Generic;
using Device.Net;

namespace Host.Tests
{
    /// <summary>A bridge log kept in memory: the lines a test reads back.</summary>
    public sealed class LineLog : IBridgeLog
    {
        public readonly List<string> Lines = new List<string>();

        public void BridgeLine(string name, string text)
        {
            Lines.Add(name + ": " + text);
        }

        public override string ToString()
        {
            return string.Join("\n", Lines);
        }
    }
}
