using System.Globalization;
using System.IO;

namespace Broker.Host
{
    /// <summary>
    /// What the store runs with: mosquitto.conf's `persistence`, `persistence_location`, `persistence_file`,
    /// `autosave_interval` (read by ConfigOptions) and ours, `fsync always|batch [ms]|never` (docs/PERSISTENCE.md).
    /// </summary>
    public sealed class PersistenceSettings
    {
        public const int DefaultBatchMs = 50;
        public const int MaxBatchMs = 60000;
        public const int MaxAutosaveSeconds = 86400 * 365;

        /// <summary>Mosquitto's default: off.</summary>
        public bool Enabled;

        /// <summary>The folder of the snapshot and the journal; Mosquitto's default is the working directory.</summary>
        public string Location = "";

        /// <summary>The snapshot's name (Mosquitto's default); the journal is this name plus ".journal".</summary>
        public string File = "mosquitto.db";

        /// <summary>Seconds between compactions of the journal into the snapshot (Mosquitto's default 1800; 0: only at start and stop).</summary>
        public int AutosaveIntervalSeconds = 1800;

        public FsyncMode Fsync = FsyncMode.Batch;
        public int BatchMs = DefaultBatchMs;

        public string SnapshotPath { get { return Path.Combine(Location.Length == 0 ? "." : Location, File); } }

        public string JournalPath { get { return SnapshotPath + ".journal"; } }

        /// <summary>persistence_file: a name in persistence_location; null when good, else why not.</summary>
        public string SetFile(string value)
        {
            if (value.IndexOf('/') >= 0 || value.IndexOf('\\') >= 0)
            {
                return "persistence_file: '" + value + "' is a file name, not a path (the folder is persistence_location)";
            }

            File = value;
            return null;
        }

        /// <summary>fsync always | batch [ms] | never; null when good, else why not.</summary>
        public string ApplyFsync(string[] words)
        {
            const string Allowed = "(always, batch [1.." + "60000 ms, default 50], never)";
            if (words[0] == "always" || words[0] == "never")
            {
                if (words.Length != 1)
                {
                    return "fsync " + words[0] + " takes no number " + Allowed;
                }

                Fsync = words[0] == "always" ? FsyncMode.Always : FsyncMode.Never;
                return null;
            }

            if (words[0] != "batch" || words.Length > 2)
            {
                return "fsync: '" + string.Join(" ", words) + "' is not one of " + Allowed;
            }

            Fsync = FsyncMode.Batch;
            BatchMs = DefaultBatchMs;
            return words.Length == 2 ? Number("fsync batch", new[] { words[1] }, 1, MaxBatchMs, n => BatchMs = n) : null;
        }

        private static string Number(string option, string[] words, int min, int max, System.Action<int> set)
        {
            if (words.Length != 1)
            {
                return option + " takes one value, got " + words.Length;
            }

            if (!int.TryParse(words[0], NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            {
                return option + ": '" + words[0] + "' is not a whole number";
            }

            if (n < min || n > max)
            {
                return option + ": " + n + " is outside " + min + ".." + max;
            }

            set(n);
            return null;
        }
    }
}
