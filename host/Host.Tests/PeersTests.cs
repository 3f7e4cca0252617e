using System;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// A missing peer (here a program nobody has, standing for rabbitmq-server or mosquitto) skips the test with what to
    /// install on a developer machine, and fails it under CI (MQTT_REQUIRE_PEERS=1). The variable only matters for a
    /// missing program, so changing it here does not touch the tests running beside this one.
    /// </summary>
    public sealed class PeersTests
    {
        private static readonly object Gate = new object();

        [Fact]
        public void A_missing_peer_skips_with_the_package_to_install_or_fails_under_ci()
        {
            lock (Gate)
            {
                string before = Environment.GetEnvironmentVariable("MQTT_REQUIRE_PEERS");
                try
                {
                    Environment.SetEnvironmentVariable("MQTT_REQUIRE_PEERS", null);
                    Exception skip = Assert.ThrowsAny<Exception>(() => Peers.Require("no-such-peer-12b", "rabbitmq-server"));
                    Assert.Equal("Xunit.SkipException", skip.GetType().FullName);
                    Assert.Contains("no-such-peer-12b is not installed (Debian: apt-get install -y rabbitmq-server)", skip.Message, StringComparison.Ordinal);

                    Environment.SetEnvironmentVariable("MQTT_REQUIRE_PEERS", "1");
                    InvalidOperationException fail = Assert.Throws<InvalidOperationException>(() => Peers.Require("no-such-peer-12b", "rabbitmq-server"));
                    Assert.Contains("CI requires every peer", fail.Message, StringComparison.Ordinal);
                }
                finally
                {
                    Environment.SetEnvironmentVariable("MQTT_REQUIRE_PEERS", before);
                }
            }
        }
    }
}
