using System.Collections.Generic;
using System.IO;
using System.Text;
using System;
using Device.Protocol;

namespace Fuzz.Process
{
    /// <summary>
    /// One captured client session: the packets a real client sent the broker, CONNECT through DISCONNECT, in order.
    /// On disk (seeds/*.txt): '#' lines say which client made it and how; every other line is one packet in hex.
    /// </summary>
    public sealed class SeedSession
    {
        public SeedSession(string name, byte[][] packets)
        {
            Name = name;
            Packets = packets;
        }

        public string Name { get; }

        public byte[][] Packets { get; }

        /// <summary>The seeds shipped next to this program (copied from fuzz/Fuzz.Process/seeds by the build).</summary>
        public static SeedSession[] LoadShipped()
        {
            string dir = Path.Combine(AppContext.BaseDirectory, "process-seeds");
            List<SeedSession> all = new List<SeedSession>();
            foreach (string file in Directory.GetFiles(dir, "*.txt"))
            {
                all.Add(Load(file));
            }
            all.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            if (all.Count == 0)
            {
                throw new InvalidOperationException("no seed sessions in " + dir);
            }
            return all.ToArray();
        }

        public static SeedSession Load(string path)
        {
            List<byte[]> packets = new List<byte[]>();
            foreach (string raw in File.ReadAllLines(path))
            {
                string line = raw.Trim();
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }
                packets.Add(Convert.FromHexString(line));
            }
            return new SeedSession(Path.GetFileNameWithoutExtension(path), packets.ToArray());
        }

        public void Save(string path, string source)
        {
            StringBuilder b = new StringBuilder();
            b.Append("# ").Append(source).Append('\n');
            b.Append("# captured by: dotnet run --project fuzz/Fuzz.Process -- capture fuzz/Fuzz.Process/seeds\n");
            b.Append("# one client-to-broker packet per line, in hex\n");
            foreach (byte[] p in Packets)
            {
                b.Append(Convert.ToHexString(p).ToLowerInvariant()).Append('\n');
            }
            File.WriteAllText(path, b.ToString());
        }

        /// <summary>Splits a recorded byte stream into whole packets (a trailing partial one is dropped).</summary>
        public static byte[][] Split(byte[] stream)
        {
            List<byte[]> packets = new List<byte[]>();
            int at = 0;
            while (at < stream.Length)
            {
                if (Decode.Header(stream, at, stream.Length - at, 0, out FixedHeader h) != DecodeResult.Ok || h.TotalLength > stream.Length - at)
                {
                    break;
                }
                byte[] p = new byte[h.TotalLength];
                Array.Copy(stream, at, p, 0, p.Length);
                packets.Add(p);
                at += h.TotalLength;
            }
            return packets.ToArray();
        }

        /// <summary>
        /// A copy whose CONNECT asks for <paramref name="keepAlive"/> seconds, so a session the fuzzer leaves open must
        /// end within the run (the broker's timeout is what is being checked); other packets are unchanged.
        /// </summary>
        public SeedSession WithKeepAlive(ushort keepAlive)
        {
            byte[][] copy = new byte[Packets.Length][];
            for (int i = 0; i < Packets.Length; i++)
            {
                copy[i] = (byte[])Packets[i].Clone();
            }
            if (copy.Length > 0 && (copy[0][0] >> 4) == PacketType.Connect
                && Decode.Header(copy[0], 0, copy[0].Length, 0, out FixedHeader h) == DecodeResult.Ok)
            {
                int nameLength = (copy[0][h.HeaderLength] << 8) | copy[0][h.HeaderLength + 1];
                int at = h.HeaderLength + 2 + nameLength + 2;
                if (at + 1 < copy[0].Length)
                {
                    copy[0][at] = (byte)(keepAlive >> 8);
                    copy[0][at + 1] = (byte)keepAlive;
                }
            }
            return new SeedSession(Name, copy);
        }
    }
}
