using System;
using Fuzz.Process;
using Xunit;
using Xunit.Abstractions;

namespace Host.Tests
{
    /// <summary>
    /// The bounded round of the process-level fuzzer (fuzz/Fuzz.Process): the real host program, in each of its four
    /// setups (quiet or -v, anonymous or users and ACL), as a child process, fed mutated real client sessions over
    /// loopback. Any process exit, exception in its log, connection outliving its timeout or failed healthy-client
    /// probe fails the test. For a longer run: dotnet run --project fuzz/Fuzz.Process -c Release -- run SECONDS.
    /// </summary>
    public class ProcessFuzzTests
    {
        private readonly ITestOutputHelper _output;

        public ProcessFuzzTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public void The_host_program_survives_mutated_real_sessions_in_every_setup()
        {
            FuzzReport[] reports = Program.RunAll(TimeSpan.FromSeconds(20), 20261201, 3);

            foreach (FuzzReport r in reports)
            {
                _output.WriteLine(r.ToString());
            }

            foreach (FuzzReport r in reports)
            {
                Assert.True(r.Findings == 0, r.ToString());
                // The round must have really run: inputs sent, answers of many kinds, sessions left open, probes made.
                Assert.True(r.Executions > 300, r.ToString());
                Assert.True(r.DistinctResponses > 30, r.ToString());
                Assert.True(r.WatchedConnections > 10, r.ToString());
                Assert.True(r.ProbesOk >= 5, r.ToString());
            }
        }
    }
}
