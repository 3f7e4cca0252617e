using System.Diagnostics;
using System.IO;
using System;
using Device.Broker;
using Xunit;
using Xunit.Abstractions;

namespace Host.Tests
{
    /// <summary>
    /// MQTT.js (npm `mqtt` 5, the client of the report) through the PC broker's default (Host) options:
    /// the original case (a 200 KB publish that never completed: the 32 KB limit disconnected the publisher)
    /// and 1 MB / 16 MB payloads at QoS 0/1/2, byte-exact, with the publish completing (PUBACK/PUBCOMP) and what the
    /// message took given back afterwards, read from the broker's own pool counters. The script is
    /// Interop/MqttJs/large.js; the package is looked for in $MQTTJS_DIR or build/mqttjs (.ci/run installs it there
    /// with `npm install --prefix build/mqttjs mqtt@5`). Without node or the package the test is skipped and says
    /// so; under CI (MQTT_REQUIRE_PEERS=1) that is a failure.
    /// </summary>
    public class MqttJsTests
    {
        private readonly ITestOutputHelper _output;

        public MqttJsTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [SkippableTheory]
        [InlineData(200 * 1024, 0)]
        [InlineData(200 * 1024, 1)]
        [InlineData(200 * 1024, 2)]
        [InlineData(1 << 20, 0)]
        [InlineData(1 << 20, 1)]
        [InlineData(1 << 20, 2)]
        [InlineData(16 << 20, 0)]
        [InlineData(16 << 20, 1)]
        [InlineData(16 << 20, 2)]
        public void An_MqttJs_publish_of_a_large_payload_completes_arrives_byte_exact_and_its_memory_is_given_back(int size, int qos)
        {
            string node = Peers.Find("node");
            string modules = Modules();
            if (node == null || modules == null)
            {
                string why = (node == null ? "node is not installed (Debian: apt-get install -y nodejs npm)" : "the npm package mqtt is not installed")
                    + "; install it with: npm install --prefix build/mqttjs mqtt@5 (or set MQTTJS_DIR)";
                if (Environment.GetEnvironmentVariable("MQTT_REQUIRE_PEERS") == "1")
                {
                    throw new InvalidOperationException(why + "; CI requires every peer.");
                }

                Skip.If(true, why);
            }

            BrokerOptions options = BrokerOptions.Host();
            using LoopBroker broker = new LoopBroker(options, hostPlatform: true);
            Assert.True(broker.Engine.PacketLimit > size + 100, "the default limit takes " + size + " bytes");
            int poolFreeAtStart = broker.Engine.Counters.PoolBytesFree;
            long buffersAtStart = broker.Engine.Buffers.InUseBytes;
            using TempDir dir = new TempDir();
            byte[] payload = new byte[size];
            new Random(size + qos).NextBytes(payload);
            string input = Path.Combine(dir.Path, "in.bin");
            File.WriteAllBytes(input, payload);
            string output = Path.Combine(dir.Path, "out.bin");
            string script = Path.Combine(DeviceCompiler.RepoRoot, "host", "Host.Tests", "Interop", "MqttJs", "large.js");

            ProcessStartInfo psi = new ProcessStartInfo(node) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in new[] { script, broker.Port.ToString(), qos.ToString(), "js/big/" + size + "/" + qos, input, output })
            {
                psi.ArgumentList.Add(a);
            }

            psi.Environment["NODE_PATH"] = modules;
            using Process js = Process.Start(psi);
            Assert.True(js.WaitForExit(180000), "node finished");
            string said = js.StandardOutput.ReadToEnd() + js.StandardError.ReadToEnd();
            _output.WriteLine(said);
            // 0: the publish completed (for QoS 1/2 its PUBACK/PUBCOMP arrived) and the subscriber got the message.
            Assert.True(js.ExitCode == 0, "MQTT.js: " + said);
            Assert.Contains("published " + size, said);

            byte[] got = File.ReadAllBytes(output);
            Assert.Equal(payload.Length, got.Length);
            Assert.True(payload.AsSpan().SequenceEqual(got), "byte-exact");
            Assert.Equal(0, broker.Engine.Counters.PacketsTooLarge);

            // Both clients gone: no connection buffer held, nothing left in the message pool, and the large buffers
            // went back to the GC (only buffers up to BufferPool.LargestPooled are kept for reuse).
            Assert.True(LoopBroker.Eventually(() => broker.Transport.OpenConnections == 0, TimeSpan.FromSeconds(30)));
            Assert.True(LoopBroker.Eventually(() => broker.Engine.Buffers.InUseBytes == buffersAtStart, TimeSpan.FromSeconds(10)),
                "buffers given back: " + broker.Engine.Buffers.InUseBytes + " B still held");
            Assert.Equal(0, broker.Engine.Counters.StoredMessages);
            Assert.Equal(poolFreeAtStart, broker.Engine.Counters.PoolBytesFree);
            Assert.True(broker.Engine.Buffers.PooledBytes <= 8 * BufferPool.LargestPooled,
                broker.Engine.Buffers.PooledBytes + " B of free buffers kept");
        }

        /// <summary>The node_modules folder that holds mqtt, or null.</summary>
        private static string Modules()
        {
            string env = Environment.GetEnvironmentVariable("MQTTJS_DIR");
            string prefix = !string.IsNullOrEmpty(env) ? env : Path.Combine(DeviceCompiler.RepoRoot, "build", "mqttjs");
            string modules = Path.Combine(prefix, "node_modules");
            return File.Exists(Path.Combine(modules, "mqtt", "package.json")) ? modules : null;
        }
    }
}
