using System.Collections.Generic;
using System.IO;
using LoadGen;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// The benchmark's CSV (bench/LoadGen --csv, and FILE.runs.csv with --repeat): every repetition is written with
    /// its number and the hypervisor's steal share, which is what explained issue 10's spread between runs.
    /// </summary>
    public class LoadGenCsvTests
    {
        [Fact]
        public void Every_repetition_is_written_with_its_number_and_steal_share()
        {
            var sc = new Scenario { Topology = Topology.FanIn, Qos = 2, PayloadSize = 16, Messages = 1000 };
            var brokers = new List<BrokerUnderTest> { BrokerUnderTest.External(1) };
            var runs = new List<RunResult[]>
            {
                new[] { new RunResult { Scenario = sc, Expected = 1000, Received = 1000, Seconds = 2, StealSeconds = 0.8, Repetition = 0 } },
                new[] { new RunResult { Scenario = sc, Expected = 1000, Received = 1000, Seconds = 1, StealSeconds = 0, Repetition = 1 } },
            };
            string path = Path.Combine(Path.GetTempPath(), "loadgen-csv-" + System.Guid.NewGuid().ToString("N") + ".csv");
            try
            {
                Report.WriteCsv(path, brokers, runs, new Dictionary<string, long>());
                string[] lines = File.ReadAllLines(path);
                Assert.Equal(3, lines.Length);
                string[] head = lines[0].Split(',');
                int rep = System.Array.IndexOf(head, "rep");
                int steal = System.Array.IndexOf(head, "steal_share");
                int rate = System.Array.IndexOf(head, "msgs_per_s");
                Assert.True(rep >= 0 && steal >= 0 && rate >= 0, lines[0]);

                string[] first = lines[1].Split(',');
                string[] second = lines[2].Split(',');
                Assert.Equal("0", first[rep]);
                Assert.Equal("1", second[rep]);
                // 0.8 s of steal over a 2 s run on this machine's cores.
                Assert.Equal((0.8 / 2 / System.Environment.ProcessorCount).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), first[steal]);
                Assert.Equal("0.00", second[steal]);
                Assert.Equal("500", first[rate]);
                Assert.Equal("1000", second[rate]);
            }
            finally
            {
                File.Delete(path);
            }
        }
    }
}
