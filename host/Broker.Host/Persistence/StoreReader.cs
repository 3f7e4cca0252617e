using System;
using System.Collections.Generic;
using System.IO;

namespace Broker.Host
{
    /// <summary>
    /// Reads the PC store's files into a <see cref="StoreModel"/> and never throws on their content: a file that is
    /// missing, unreadable, of another format, torn or damaged gives every record before the damage and a warning
    /// naming the file, the offset and what was dropped. A snapshot is applied record by record; a journal group by group
    /// (the records up to each Commit), so a torn group, whose acks never went out, leaves no half of itself behind.
    /// </summary>
    public static class StoreReader
    {
        public sealed class Result
        {
            /// <summary>The file's generation, or -1 when it has no readable header (or is missing).</summary>
            public long Generation = -1;
            public bool Exists;
            public int Records;

            /// <summary>Offset of the first byte not used (the file's length when it was whole).</summary>
            public long GoodLength;
        }

        /// <summary>The snapshot into model; warnings through warn.</summary>
        public static Result ReadSnapshot(string path, StoreModel model, Action<string> warn)
        {
            return Read(path, StoreFormat.Snapshot, model, warn, -1);
        }

        /// <summary>
        /// The journal into model, when its generation is expected (the snapshot's; -1: any, the snapshot being unreadable).
        /// A journal of another generation was already folded into a newer snapshot and is skipped.
        /// </summary>
        public static Result ReadJournal(string path, StoreModel model, Action<string> warn, long expected)
        {
            return Read(path, StoreFormat.Journal, model, warn, expected);
        }

        private static Result Read(string path, byte kind, StoreModel model, Action<string> warn, long expected)
        {
            Result result = new Result();
            byte[] b;
            try
            {
                if (!File.Exists(path))
                {
                    return result;
                }

                b = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                warn(path + ": cannot read (" + e.Message + "); starting without it");
                return result;
            }

            result.Exists = true;
            string problem = StoreFormat.ReadHeader(b, b.Length, kind, out long generation);
            if (problem != null)
            {
                warn(path + ": offset 0: " + problem + "; all " + b.Length + " bytes dropped");
                return result;
            }

            result.Generation = generation;
            if (kind == StoreFormat.Journal && expected >= 0 && generation != expected)
            {
                warn(path + ": generation " + generation + " is not the snapshot's (" + expected + "): already in an older or newer snapshot, skipped");
                return result;
            }

            bool grouped = kind == StoreFormat.Journal;
            List<(int, int)> group = new List<(int, int)>();
            long groupStart = StoreFormat.HeaderLength;
            int at = StoreFormat.HeaderLength;
            string damage = null;
            while (at < b.Length)
            {
                if (b.Length - at < 8)
                {
                    damage = "record header truncated";
                    break;
                }

                int length = StoreFormat.GetInt32(b, at);
                if (length < 1 || length > StoreFormat.MaxBody || length > b.Length - at - 8)
                {
                    damage = length < 1 || length > StoreFormat.MaxBody ? "bad record length " + length : "record truncated";
                    break;
                }

                if (StoreFormat.GetUInt32(b, at + 4 + length) != Device.Broker.Crc32.Compute(b, at + 4, length))
                {
                    damage = "record checksum mismatch";
                    break;
                }

                if (!grouped)
                {
                    if (!model.Apply(b, at + 4, length))
                    {
                        damage = "record fields do not add up (type " + b[at + 4] + ")";
                        break;
                    }

                    result.Records++;
                }
                else if (b[at + 4] == Device.Broker.RecordType.Commit)
                {
                    foreach ((int offset, int len) in group)
                    {
                        model.Apply(b, offset, len);
                    }

                    result.Records += group.Count;
                    group.Clear();
                    groupStart = at + 8 + length;
                }
                else if (!Valid(b, at + 4, length))
                {
                    damage = "record fields do not add up (type " + b[at + 4] + ")";
                    break;
                }
                else
                {
                    group.Add((at + 4, length));
                }

                at += 8 + length;
            }

            long good = grouped ? groupStart : at;
            result.GoodLength = good;
            if (damage != null || (grouped && group.Count > 0))
            {
                warn(path + ": offset " + at + ": " + (damage ?? "group without its commit record")
                    + "; kept " + result.Records + " records, dropped " + (b.Length - good) + " bytes from offset " + good
                    + (grouped && group.Count > 0 ? " (" + group.Count + " records of an uncommitted group)" : ""));
            }

            return result;
        }

        /// <summary>Whether the body would apply (checked on a scratch model before its group is committed).</summary>
        private static bool Valid(byte[] b, int offset, int length)
        {
            return new StoreModel().Apply(b, offset, length);
        }
    }
}
