using System.Collections.Generic;
using System;

namespace Broker.Host
{
    /// <summary>One bad line of a config, password or ACL file, printed the way compilers do so editors can jump to it.</summary>
    public sealed class FileError
    {
        public FileError(string file, int line, string reason)
        {
            File = file;
            Line = line;
            Reason = reason;
        }

        public string File { get; }

        /// <summary>1-based; 0 when the problem is the file as a whole (missing, unreadable).</summary>
        public int Line { get; }

        public string Reason { get; }

        public override string ToString()
        {
            return Line > 0 ? File + ":" + Line + ": " + Reason : File + ": " + Reason;
        }
    }
}
