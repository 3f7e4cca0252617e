using System.Collections.Generic;
using System.IO;
using Broker.Host;
using Xunit;

namespace Host.Tests
{
    public class PersistenceSettingsTests
    {
        private static List<FileError> Apply(BrokerSettings s, params string[] lines)
        {
            return ConfigFile.Apply("broker.conf", lines, "/etc/broker", s);
        }

        [Fact]
        public void Mosquittos_persistence_options_and_fsync_are_applied()
        {
            BrokerSettings s = new BrokerSettings();
            Assert.Empty(Apply(s, "persistence true", "persistence_location data/", "persistence_file broker.db", "autosave_interval 60", "fsync always"));
            Assert.True(s.Store.Enabled);
            Assert.Equal("/etc/broker/data/", s.Store.Location);
            Assert.Equal(Path.Combine("/etc/broker/data/", "broker.db"), s.Store.SnapshotPath);
            Assert.Equal(Path.Combine("/etc/broker/data/", "broker.db") + ".journal", s.Store.JournalPath);
            Assert.Equal(60, s.Store.AutosaveIntervalSeconds);
            Assert.Equal(FsyncMode.Always, s.Store.Fsync);
        }

        [Fact]
        public void The_defaults_are_mosquittos_and_fsync_batch_50_ms()
        {
            PersistenceSettings p = new BrokerSettings().Store;
            Assert.False(p.Enabled);
            Assert.Equal("mosquitto.db", p.File);
            Assert.Equal(1800, p.AutosaveIntervalSeconds);
            Assert.Equal(FsyncMode.Batch, p.Fsync);
            Assert.Equal(50, p.BatchMs);

            BrokerSettings s = new BrokerSettings();
            Assert.Empty(Apply(s, "fsync batch 200"));
            Assert.Equal(200, s.Store.BatchMs);
        }

        [Theory]
        [InlineData("fsync sometimes", "fsync: 'sometimes' is not one of (always, batch [1..60000 ms, default 50], never)")]
        [InlineData("fsync batch 0", "fsync batch: 0 is outside 1..60000")]
        [InlineData("fsync always 5", "fsync always takes no number")]
        [InlineData("autosave_interval -5", "autosave_interval: -5 is outside 0..31536000")]
        [InlineData("persistence_file a/b.db", "persistence_file: 'a/b.db' is a file name, not a path")]
        public void A_bad_persistence_line_is_refused_with_file_line_and_range(string line, string reason)
        {
            List<FileError> errors = Apply(new BrokerSettings(), "# store", line);
            FileError e = Assert.Single(errors);
            Assert.StartsWith("broker.conf:2: " + reason, e.ToString());
        }
    }
}
