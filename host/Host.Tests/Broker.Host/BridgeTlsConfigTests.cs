using System.Collections.Generic;
using Broker.Host;
using Device.Net;
using Xunit;

namespace Host.Tests
{
    /// <summary>The TLS lines of a `connection` block (Mosquitto's names): read into BridgeOptions, or refused with file:line.</summary>
    public class BridgeTlsConfigTests
    {
        private static List<FileError> Apply(BrokerSettings s, params string[] lines)
        {
            return ConfigFile.Apply("broker.conf", lines, "/etc/broker", s);
        }

        [Fact]
        public void The_tls_lines_are_read_into_the_connection()
        {
            BrokerSettings s = new BrokerSettings();
            Assert.Empty(Apply(s, "connection hub", "address hub.example:8883", "topic a/# out 1", "bridge_cafile /etc/ca.pem",
                "bridge_capath /etc/ssl/certs", "bridge_certfile /etc/gw.pem", "bridge_keyfile /etc/gw.key", "bridge_insecure true",
                "bridge_tls_version tlsv1.3"));
            BridgeOptions b = Assert.Single(s.Bridges);
            Assert.Equal("/etc/ca.pem", b.CaFile);
            Assert.Equal("/etc/ssl/certs", b.CaPath);
            Assert.Equal("/etc/gw.pem", b.CertFile);
            Assert.Equal("/etc/gw.key", b.KeyFile);
            Assert.True(b.Insecure);
            Assert.Equal("tlsv1.3", b.TlsVersion);
            Assert.True(b.UsesTls);
            Assert.Null(b.Check());
        }

        [Fact]
        public void Without_a_ca_the_connection_is_plain_tcp()
        {
            BrokerSettings s = new BrokerSettings();
            Assert.Empty(Apply(s, "connection hub", "address hub.example:1883", "topic a/# out 1"));
            Assert.False(Assert.Single(s.Bridges).UsesTls);
        }

        [Theory]
        [InlineData("bridge_tls_version tlsv1.1", "bridge_tls_version: 'tlsv1.1' is not tlsv1.2 or tlsv1.3")]
        [InlineData("bridge_insecure maybe", "bridge_insecure: 'maybe' is not true or false")]
        public void A_bad_tls_line_is_refused_with_file_line_and_the_allowed_values(string line, string reason)
        {
            List<FileError> errors = Apply(new BrokerSettings(), "connection hub", line);
            FileError e = Assert.Single(errors);
            Assert.Equal(2, e.Line);
            Assert.StartsWith("broker.conf:2: " + reason, e.ToString());
        }

        [Theory]
        [InlineData("bridge_certfile /etc/gw.pem", "connection hub: bridge_certfile and bridge_keyfile go together")]
        [InlineData("bridge_certfile /etc/gw.pem\nbridge_keyfile /etc/gw.key", "connection hub: bridge_certfile needs bridge_cafile or bridge_capath")]
        public void A_client_certificate_without_its_pair_or_without_a_ca_is_refused_at_start_up(string lines, string reason)
        {
            BrokerSettings s = new BrokerSettings();
            List<string> all = new List<string> { "connection hub", "address hub.example:8883", "topic a/# out 1" };
            all.AddRange(lines.Split('\n'));
            Assert.Empty(Apply(s, all.ToArray()));
            Assert.StartsWith(reason, Assert.Single(s.Bridges).Check());
        }
    }
}
