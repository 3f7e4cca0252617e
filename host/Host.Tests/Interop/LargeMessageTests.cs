using System.Diagnostics;
using System.IO;
using System;
using Device.Broker;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// Large messages through the PC broker's default (Host) options with Debian's mosquitto_pub/mosquitto_sub:
    /// byte-exact at each QoS, and the buffers and pool bytes they took given back afterwards. Above what the pool
    /// can hold, a PUBLISH is refused at its header (the publisher's connection closed, PacketsTooLarge counted)
    /// and the broker carries on.
    /// </summary>
    public class LargeMessageTests
    {
        [SkippableTheory]
        [InlineData(1 << 20, 0)]
        [InlineData(1 << 20, 1)]
        [InlineData(1 << 20, 2)]
        [InlineData(16 << 20, 0)]
        [InlineData(16 << 20, 1)]
        [InlineData(16 << 20, 2)]
        public void A_large_payload_arrives_byte_exact_and_its_memory_is_given_back(int size, int qos)
        {
            Peers.Require("mosquitto_sub");
            Peers.Require("mosquitto_pub");
            BrokerOptions options = BrokerOptions.Host();
            using LoopBroker broker = new LoopBroker(options, hostPlatform: true);
            Assert.True(broker.Engine.PacketLimit > size + 100, "the default limit takes " + size + " bytes");
            using TempDir dir = new TempDir();
            byte[] payload = new byte[size];
            new Random(size + qos).NextBytes(payload);
            string input = dir.Write("in.bin", "");
            File.WriteAllBytes(input, payload);
            string output = Path.Combine(dir.Path, "out.bin");
            string topic = "big/" + size + "/" + qos;

            using Process sub = Shell("mosquitto_sub -h 127.0.0.1 -p " + broker.Port + " -i big-sub -q " + qos + " -t " + topic + " -C 1 -N > " + output);
            Assert.True(LoopBroker.Eventually(() => broker.Engine.Counters.Subscriptions == 1, TimeSpan.FromSeconds(20)), "mosquitto_sub subscribed");
            using Process pub = Shell("mosquitto_pub -h 127.0.0.1 -p " + broker.Port + " -i big-pub -q " + qos + " -t " + topic + " -f " + input);
            Assert.True(pub.WaitForExit(60000), "mosquitto_pub finished");
            Assert.Equal(0, pub.ExitCode);
            Assert.True(sub.WaitForExit(60000), "mosquitto_sub got its one message");
            Assert.Equal(0, sub.ExitCode);

            byte[] got = File.ReadAllBytes(output);
            Assert.Equal(payload.Length, got.Length);
            Assert.True(payload.AsSpan().SequenceEqual(got), "byte-exact");

            // Both clients are gone: no buffer held, no message left in the pool.
            Assert.True(LoopBroker.Eventually(() => broker.Transport.OpenConnections == 0, TimeSpan.FromSeconds(20)));
            Assert.True(LoopBroker.Eventually(() => broker.Engine.Buffers.InUseBytes == 0, TimeSpan.FromSeconds(5)),
                "buffers given back: " + broker.Engine.Buffers.InUseBytes + " B still held");
            Assert.Equal(0, broker.Engine.Counters.StoredMessages);
            Assert.Equal(0, broker.Engine.Counters.PacketsTooLarge);
        }

        [SkippableTheory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(2)]
        public void A_payload_larger_than_the_pool_holds_is_refused_and_counted_and_the_broker_carries_on(int qos)
        {
            Peers.Require("mosquitto_sub");
            Peers.Require("mosquitto_pub");
            BrokerOptions options = BrokerOptions.Host();
            options.PoolBytes = 4 << 20;
            using LoopBroker broker = new LoopBroker(options, hostPlatform: true);
            Assert.True(broker.Engine.PacketLimit < 4 << 20, "one message may take at most 7/8 of the pool's message bytes");
            using TempDir dir = new TempDir();
            string big = dir.Write("big.bin", "");
            File.WriteAllBytes(big, new byte[8 << 20]);
            string output = Path.Combine(dir.Path, "out.txt");

            using Process sub = Shell("mosquitto_sub -h 127.0.0.1 -p " + broker.Port + " -i watcher -q " + qos + " -t over/# -C 1 -v > " + output);
            Assert.True(LoopBroker.Eventually(() => broker.Engine.Counters.Subscriptions == 1, TimeSpan.FromSeconds(20)));
            using Process pub = Shell("mosquitto_pub -h 127.0.0.1 -p " + broker.Port + " -i too-big -q " + qos + " -t over/big -f " + big);
            Assert.True(pub.WaitForExit(60000));
            Assert.NotEqual(0, pub.ExitCode);
            Assert.Equal(1, broker.Engine.Counters.PacketsTooLarge);

            // Nothing of it was acknowledged or routed; the next message is the one the watcher sees.
            using Process small = Shell("mosquitto_pub -h 127.0.0.1 -p " + broker.Port + " -i small -q " + qos + " -t over/small -m fine");
            Assert.True(small.WaitForExit(30000));
            Assert.Equal(0, small.ExitCode);
            Assert.True(sub.WaitForExit(30000));
            Assert.Equal("over/small fine", File.ReadAllText(output).Trim());
            Assert.True(LoopBroker.Eventually(() => broker.Engine.Buffers.InUseBytes == 0, TimeSpan.FromSeconds(5)));
        }

        private static Process Shell(string command)
        {
            ProcessStartInfo psi = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(command);
            return Process.Start(psi);
        }
    }
}
