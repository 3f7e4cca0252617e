using System.Collections.Generic;
using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using System;
using MQTTnet.Protocol;
using MQTTnet;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// An upstream that cannot be had: wrong credentials, a closed port, a name that does not resolve. Each gives one
    /// clear line per attempt in our log, attempts repeat with restart_timeout's doubling back-off (1, 2, 4, then the cap
    /// 4, read from the log's "next attempt in" lines, counted, not timed), and our own broker serves its clients meanwhile.
    /// </summary>
    public sealed class BridgeFailureTests
    {
        private const string Backoff = "restart_timeout 1 4\n";

        private int _port;

        [SkippableFact]
        public async Task Wrong_upstream_credentials_are_logged_retried_with_backoff_and_the_local_broker_works()
        {
            using TempDir dir = new TempDir();
            string passwd = dir.Write("passwd", "");
            PeerProcess.Start("mosquitto_passwd", "-b", passwd, "gateway", "right-secret").WaitForExit();
            System.IO.File.SetUnixFileMode(passwd, (System.IO.UnixFileMode)0x1A4);
            using BridgeRig rig = new BridgeRig("topic a/# out 1\nremote_username gateway\nremote_password wrong-secret\n" + Backoff,
                "allow_anonymous false\npassword_file " + passwd + "\n");
            await Check(rig.Ours, rig.OurPort, "Bridge up: Connection Refused: ");
            // Mosquitto 2.0 answers a wrong password with CONNACK 5 (not authorised); 4 would be named too.
            Assert.Matches("Connection Refused: (not authorised|bad user name or password)", rig.Ours.Output);
        }

        [SkippableFact]
        public async Task A_closed_port_is_logged_retried_with_backoff_and_the_local_broker_works()
        {
            int closed = ConfiguredBrokerProcess.FreePort();
            using TempDir dir = new TempDir();
            using ConfiguredBrokerProcess ours = Ours(dir, "127.0.0.1:" + closed);
            await Check(ours, _port, "Bridge up: cannot connect to 127.0.0.1:" + closed + ": connect failed: ConnectionRefused");
        }

        [SkippableFact]
        public async Task A_name_that_does_not_resolve_is_logged_retried_with_backoff_and_the_local_broker_works()
        {
            using TempDir dir = new TempDir();
            using ConfiguredBrokerProcess ours = Ours(dir, "nonexistent.invalid:1883");
            await Check(ours, _port, "Bridge up: cannot connect to nonexistent.invalid:1883: cannot resolve 'nonexistent.invalid' (DNS: ");
        }

        private ConfiguredBrokerProcess Ours(TempDir dir, string address)
        {
            _port = ConfiguredBrokerProcess.FreePort();
            string conf = "listener " + _port + " 127.0.0.1\nallow_anonymous true\nconnection up\naddress " + address + "\n"
                + "topic a/# out 1\n" + Backoff;
            return ConfiguredBrokerProcess.Ours(dir.Write("ours.conf", conf), _port);
        }

        /// <summary>
        /// The failure line at least four times, each followed by its back-off: 1, 2, 4, 4 s (doubling from the base to
        /// the cap); a local subscriber gets a local message while the bridge keeps failing.
        /// </summary>
        private static async Task Check(ConfiguredBrokerProcess ours, int port, string failure)
        {
            // Each failure line is followed by its back-off line: wait for both, or the fourth back-off may still be on its way.
            BridgeRig.Wait(() => BridgeRig.Count(ours.Output, failure) >= 4 && BridgeRig.Count(ours.Output, "Bridge up: next attempt in ") >= 4,
                "four failed attempts", () => ours.Output);
            List<int> delays = new List<int>();
            foreach (Match m in Regex.Matches(ours.Output, "Bridge up: next attempt in (\\d+) s"))
            {
                delays.Add(int.Parse(m.Groups[1].Value));
            }

            Assert.True(delays.Count >= 4, ours.Output);
            Assert.Equal(new[] { 1, 2, 4, 4 }, delays.GetRange(0, 4));
            Assert.True(BridgeRig.Count(ours.Output, "Bridge up: connecting to ") >= 4, ours.Output);
            Assert.DoesNotContain("connected to upstream", ours.Output, StringComparison.Ordinal);

            using CancellationTokenSource time = MqttNet.Bound();
            using MqttNet sub = await MqttNet.Connect(port, "local-sub", time.Token);
            await sub.Subscribe("a/#", MqttQualityOfServiceLevel.AtLeastOnce, time.Token);
            using MqttNet pub = await MqttNet.Connect(port, "local-pub", time.Token);
            await pub.Client.PublishStringAsync("a/b", "meanwhile", MqttQualityOfServiceLevel.AtLeastOnce, false, time.Token);
            MqttApplicationMessage got = await sub.Next(time.Token);
            Assert.Equal("meanwhile", got.ConvertPayloadToString());
        }
    }
}
