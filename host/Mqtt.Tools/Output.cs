using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Net;
using System.Text;
using System;
using Device.Client;
using Device.Protocol;

namespace Mqtt.Tools
{
    /// <summary>The command's stdout as bytes: payloads are written unchanged, text as UTF-8.</summary>
    public sealed class Output
    {
        private readonly Stream _stream;

        public Output(Stream stream)
        {
            _stream = stream;
        }

        public void Line(string text)
        {
            Write(text + "\n");
        }

        public void Write(string text)
        {
            byte[] b = Encoding.UTF8.GetBytes(text);
            _stream.Write(b, 0, b.Length);
            _stream.Flush();
        }

        public void Write(byte[] b, int offset, int count)
        {
            _stream.Write(b, offset, count);
        }

        public void Flush()
        {
            _stream.Flush();
        }
    }
}
