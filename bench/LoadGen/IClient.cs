using System.Buffers.Binary;
using System.Diagnostics;
using System.Threading;
using System;
using Device.Protocol;

namespace LoadGen
{
    /// <summary>A connection the run's event loop serves.</summary>
    public interface IClient
    {
        Conn Conn { get; }

        /// <summary>Reads what arrived and handles every complete packet; now is when the data was found ready.</summary>
        void OnReadable(long now);
    }
}
