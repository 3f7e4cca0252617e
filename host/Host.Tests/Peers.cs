using System.IO;
using System;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// Tests that talk to a Debian peer (mosquitto, mosquitto_pub/mosquitto_sub) call Require first: on a
    /// developer machine without the peer the test is skipped and says what to install; under CI
    /// (MQTT_REQUIRE_PEERS=1, set by .ci/run, which installs the peers) a missing peer fails the test.
    /// </summary>
    public static class Peers
    {
        public static string Require(string program, string install = "mosquitto mosquitto-clients")
        {
            string path = Find(program);
            if (path != null)
            {
                return path;
            }

            string why = program + " is not installed (Debian: apt-get install -y " + install + ")";
            if (Environment.GetEnvironmentVariable("MQTT_REQUIRE_PEERS") == "1")
            {
                throw new InvalidOperationException(why + "; CI requires every peer.");
            }

            Skip.If(true, why);
            return null;
        }

        public static string Find(string program)
        {
            foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
            {
                string candidate = Path.Combine(dir, program);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            foreach (string dir in new[] { "/usr/sbin", "/usr/bin", "/usr/local/sbin" })
            {
                string candidate = Path.Combine(dir, program);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            return null;
        }
    }
}
