using System.Collections.Generic;
using System.IO;
using System.Text;
using Mqtt.Tools;
using Xunit;

using Device.Tests;

namespace Host.Tests
{
    /// <summary>
    /// Option checking of pub and sub: each case runs our command in-process and asserts the exact error text and
    /// exit code, then runs Debian's mosquitto_pub/mosquitto_sub with the same arguments and asserts it says the
    /// same (its program name aside). Port 1 on loopback refuses, so nothing here needs a broker.
    /// </summary>
    public class OptionTests
    {
        private const string PubHint = "\nUse 'pub --help' to see usage.\n";
        private const string SubHint = "\nUse 'sub --help' to see usage.\n";

        public static IEnumerable<object[]> SameAsMosquitto()
        {
            // command, arguments, stdin, stderr, exit code
            yield return Case("pub", "-i a -I b -t x -m y", "Error: -i and -I argument cannot be used together.\n\n" + PubHint, 1);
            yield return Case("pub", "-I b -i a -t x -m y", "Error: -i and -I argument cannot be used together.\n\n" + PubHint, 1);
            yield return Case("pub", "-t x -m y -n", "Error: Only one type of message can be sent at once.\n\n" + PubHint, 1);
            yield return Case("pub", "-t x -m y -l", "Error: Only one type of message can be sent at once.\n\n" + PubHint, 1);
            yield return Case("pub", "-t x -f /etc/hostname -s", "Error: Only one type of message can be sent at once.\n\n" + PubHint, 1);
            yield return Case("pub", "-t x -n -m y", "Error: Only one type of message can be sent at once.\n\n" + PubHint, 1);
            yield return Case("pub", "-t x -m y --will-payload z", "Error: Will payload given, but no will topic given.\n" + PubHint, 1);
            yield return Case("pub", "-t x -m y --will-retain", "Error: Will retain given, but no will topic given.\n" + PubHint, 1);
            yield return Case("pub", "-t x -m y --will-topic a/#", "Error: Invalid will topic 'a/#', does it contain '+' or '#'?\n" + PubHint, 1);
            yield return Case("pub", "-t x -m y --will-qos 3", "Error: Invalid will QoS 3.\n\n" + PubHint, 1);
            yield return Case("pub", "-t x -m y -P secret -p 1", "Error: Problem setting username and/or password.\n", 1);
            yield return Case("pub", "-t x -m y -c", "Error: You must provide a client id if you are using the -c option.\n" + PubHint, 1);
            yield return Case("pub", "-t x -m y -c -I pre", "Error: You must provide a client id if you are using the -c option.\n" + PubHint, 1);
            yield return Case("pub", "-t x -m y -q 3", "Error: Invalid QoS given: 3\n" + PubHint, 1);
            yield return Case("pub", "-t a/+ -m y", "Error: Invalid publish topic 'a/+', does it contain '+' or '#'?\n" + PubHint, 1);
            yield return Case("pub", "-t x -m y -k 2", "Error: Invalid keepalive given, it must be between 5 and 65535 inclusive.\n\n" + PubHint, 1);
            yield return Case("pub", "-t x -m y --bogus", "Error: Unknown option '--bogus'.\n" + PubHint, 1);
            yield return Case("pub", "-t x -m y -v", "Error: Unknown option '-v'.\n" + PubHint, 1);
            yield return Case("pub", "-t x -m", "Error: -m argument given but no message specified.\n\n" + PubHint, 1);
            yield return Case("pub", "-t x -m y -p 99999", "Error: Invalid port given: 99999\n" + PubHint, 1);
            yield return Case("pub", "-t x -m y -V 5x", "Error: Invalid protocol version argument given.\n\n" + PubHint, 1);
            yield return Case("pub", "-t x -m y -i", "Error: -i argument given but no id specified.\n\n" + PubHint, 1);
            yield return Case("pub", "-t x -f /nonexistent/file", "Error: Unable to open file \"/nonexistent/file\".\nError loading input file \"/nonexistent/file\".\n", 1);
            yield return Case("pub", "-t x -s -p 1", "Error: Zero length input.\nError loading input from stdin.\n", 1);
            yield return Case("pub", "-m y", "Error: Both topic and message must be supplied.\n", 1);
            yield return Case("pub", "-t x -m y -p 1", "Error: Connection refused\n", 1);
            yield return Case("pub", "-t x -m y -p 1 --quiet", "", 1);
            yield return Case("sub", "-t x -c", "Error: You must provide a client id if you are using the -c option.\n" + SubHint, 1);
            yield return Case("sub", "-p 1", "Error: You must specify a topic to subscribe to.\n" + SubHint, 1);
            yield return Case("sub", "-t a/#/b", "Error: Invalid subscription topic 'a/#/b', are all '+' and '#' wildcards correct?\n" + SubHint, 1);
            yield return Case("sub", "-t a+", "Error: Invalid subscription topic 'a+', are all '+' and '#' wildcards correct?\n" + SubHint, 1);
            yield return Case("sub", "-t x -C 0", "Error: Invalid message count \"0\".\n\n" + SubHint, 1);
            yield return Case("sub", "-t x -W 0", "Error: Invalid timeout \"0\".\n\n" + SubHint, 1);
            yield return Case("sub", "-t x -m y", "Error: Unknown option '-m'.\n" + SubHint, 1);
            yield return Case("sub", "-t x -r", "Error: Unknown option '-r'.\n" + SubHint, 1);
            yield return Case("sub", "-t x -q 3", "Error: Invalid QoS given: 3\n" + SubHint, 1);
            yield return Case("sub", "-t x -i a -I b", "Error: -i and -I argument cannot be used together.\n\n" + SubHint, 1);
            yield return Case("sub", "-t x --will-retain", "Error: Will retain given, but no will topic given.\n" + SubHint, 1);
            yield return Case("sub", "-t x -P pw -p 1", "Error: Problem setting username and/or password.\n", 1);
            yield return Case("pub", "-t x -m y -i  -p 1", "Error: Invalid id.\n", 1);
            yield return Case("sub", "-t x -i  -p 1", "Error: Invalid id and/or clean_session.\n", 1);
            yield return Case("sub", "-t x -p 1", "Error: Connection refused\n", 1);
            yield return Case("sub", "-t x --help", "", 1);
        }

        /// <summary>Where we refuse what Mosquitto lets through (and then misbehaves on) or cannot do.</summary>
        public static IEnumerable<object[]> OurOwn()
        {
            // mosquitto_pub accepts a lone --will-qos and ignores it.
            yield return Case("pub", "-t x -m y --will-qos 1", "Error: Will QoS given, but no will topic given.\n" + PubHint, 1);
            // MQTT 5 is outside this project.
            yield return Case("pub", "-t x -m y -V mqttv5", "Error: MQTT v5 is not supported, use mqttv311 or mqttv31.\n\n" + PubHint, 1);
            // mosquitto_pub connects, fails to publish and still exits 0; mosquitto_sub subscribes to nothing forever.
            yield return new object[] { "pub", new[] { "-t", "", "-m", "y" }, "Error: Invalid publish topic '', does it contain '+' or '#'?\n" + PubHint, 1 };
            yield return new object[] { "sub", new[] { "-t", "" }, "Error: Invalid subscription topic '', are all '+' and '#' wildcards correct?\n" + SubHint, 1 };
            yield return new object[] { "pub", new[] { "-t", "x", "-m", "y", "--will-topic", "" }, "Error: Invalid will topic '', does it contain '+' or '#'?\n" + PubHint, 1 };
        }

        [SkippableTheory]
        [MemberData(nameof(SameAsMosquitto))]
        public void Errors_and_exit_codes_match_mosquitto(string command, string[] args, string stderr, int exitCode)
        {
            int code;
            string err = RunOurs(command, args, out code, out _);
            Assert.Equal(stderr, err);
            Assert.Equal(exitCode, code);

            string real = Peers.Require("mosquitto_" + command);
            using ToolProcess theirs = ToolProcess.Peer(real, args);
            Assert.Equal(exitCode, theirs.WaitForExit());
            Assert.Equal(stderr, theirs.Stderr.Replace("'mosquitto_" + command + " --help'", "'" + command + " --help'"));
        }

        [Theory]
        [MemberData(nameof(OurOwn))]
        public void Options_mosquitto_lets_through_are_refused(string command, string[] args, string stderr, int exitCode)
        {
            int code;
            Assert.Equal(stderr, RunOurs(command, args, out code, out _));
            Assert.Equal(exitCode, code);
        }

        [Theory]
        [InlineData("pub")]
        [InlineData("sub")]
        public void Help_prints_the_usage_on_stdout_and_exits_1_like_mosquitto(string command)
        {
            int code;
            string stdout;
            Assert.Equal("", RunOurs(command, new[] { "--help" }, out code, out stdout));
            Assert.Equal(1, code);
            Assert.StartsWith(command + " is a simple mqtt client", stdout);
            foreach (string option in new[] { "-d", "-h", "-i", "-I", "-k", "-p", "-q", "--quiet", "-t", "-u", "-P", "-V",
                "--will-topic", "--will-payload", "--will-qos", "--will-retain", "-c" })
            {
                Assert.Contains("\n " + option + " : ", stdout);
            }

            string[] own = command == "pub" ? new[] { "-f", "-l", "-m", "-n", "-r", "-s" } : new[] { "-C", "-N", "-v", "-W" };
            foreach (string option in own)
            {
                Assert.Contains("\n " + option + " : ", stdout);
            }
        }

        [Fact]
        public void Numbers_are_read_like_atoi()
        {
            Assert.Equal(0, Options.Atoi("abc"));
            Assert.Equal(12, Options.Atoi("12abc"));
            Assert.Equal(-3, Options.Atoi(" -3"));
            Assert.Equal(int.MaxValue, Options.Atoi("99999999999999"));
        }

        private static object[] Case(string command, string args, string stderr, int code)
        {
            return new object[] { command, args.Split(' '), stderr, code };
        }

        private static string RunOurs(string command, string[] args, out int code, out string stdout)
        {
            var err = new StringWriter();
            var output = new MemoryStream();
            code = command == "pub"
                ? PubCommand.Run(args, new MemoryStream(), output, err)
                : SubCommand.Run(args, output, err);
            stdout = Encoding.UTF8.GetString(output.ToArray());
            return err.ToString();
        }
    }
}
