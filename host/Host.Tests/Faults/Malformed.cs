using System.Collections.Generic;
using System;
using Device.Broker;
using Device.Protocol;

namespace Host.Tests
{
    /// <summary>One hostile input: the bytes a client sends and how the broker must end that connection.</summary>
    public sealed class Malformed
    {
        public string Name;

        /// <summary>Sent right after a valid CONNECT, or as the first packet when AsFirstPacket.</summary>
        public byte[] Bytes;
        public bool AsFirstPacket;
        public CloseReason Reason;

        /// <summary>The codec's verdict when Reason is ProtocolViolation; Ok otherwise.</summary>
        public DecodeResult Violation;

        public override string ToString()
        {
            return Name;
        }
    }
}
