using System;
using Device.Protocol;

namespace Fuzz.Shared
{
    /// <summary>An invariant the code under test broke on a fuzz input; the message says which and where.</summary>
    public sealed class FuzzFailure : Exception
    {
        public FuzzFailure(string message) : base(message)
        {
        }
    }
}
