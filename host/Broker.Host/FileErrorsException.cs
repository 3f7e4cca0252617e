using System.Collections.Generic;
using System;

namespace Broker.Host
{
    /// <summary>
    /// Thrown when a file the broker needs has bad lines. It carries every bad line, not just the first, so one
    /// run tells the user everything to fix before the broker refuses to start.
    /// </summary>
    public sealed class FileErrorsException : Exception
    {
        public FileErrorsException(IReadOnlyList<FileError> errors)
            : base(string.Join(Environment.NewLine, errors))
        {
            Errors = errors;
        }

        public IReadOnlyList<FileError> Errors { get; }
    }
}
