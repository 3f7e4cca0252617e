using System;
using System.Collections.Concurrent;
using System.Threading;
using Device.Broker;
using Device.Hardware;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// The board's log topic (hardware/LogTopic.cs and Log.cs, compiled here unchanged): lines written on the broker's
    /// loop thread are published on $SYS/broker/log/&lt;letter&gt; between two passes, reach a real subscriber
    /// (Debian's mosquitto_sub over the real socket transport), wait when the pool is full, and are dropped and counted
    /// only when the buffer is full; adding and publishing a line allocates nothing.
    /// </summary>
    [Collection("hardware log")]
    public class LogTopicTests
    {
        [SkippableFact]
        public void Log_lines_reach_a_mosquitto_sub_on_the_log_topic_with_their_level_letter()
        {
            Peers.Require("mosquitto_sub");
            using LoopBroker broker = new LoopBroker(LoopBroker.Small(4, 1), startThread: false);
            var pending = new ConcurrentQueue<(int Level, string Text)>();
            using var stop = new ManualResetEventSlim();

            // The board's loop, on one thread as there: a pass, the app's logging, then the flush (BrokerLoop.Run).
            Thread loop = new Thread(() =>
            {
                Log.Level = LogLevel.Info;
                Log.Syslog = null;
                Log.Topic = new LogTopic(broker.Engine, 1024);
                while (!stop.IsSet)
                {
                    broker.Transport.RunOnce(Environment.TickCount64);
                    while (pending.TryDequeue(out var line))
                    {
                        Log.Write(line.Level, line.Text);
                    }

                    Log.FlushTopic();
                    Thread.Sleep(1);
                }
            }) { IsBackground = true, Name = "board loop" };
            loop.Start();
            try
            {
                using PeerProcess sub = PeerProcess.Start("mosquitto_sub", "-h", "127.0.0.1", "-p", broker.Port, "-i", "log-reader",
                    "-t", "$SYS/broker/log/#", "-v", "-d");
                sub.WaitForLine("SUBACK");

                pending.Enqueue((LogLevel.Info, "broker: listening on 10.0.0.2:1883"));
                pending.Enqueue((LogLevel.Debug, "debug line above the level"));
                pending.Enqueue((LogLevel.Error, "loop: pass failed: IOException: reset"));
                pending.Enqueue((LogLevel.Warning, "client from 10.0.0.9: refused"));

                sub.WaitForLine("$SYS/broker/log/I broker: listening on 10.0.0.2:1883");
                sub.WaitForLine("$SYS/broker/log/E loop: pass failed: IOException: reset");
                sub.WaitForLine("$SYS/broker/log/W client from 10.0.0.9: refused");

                // One connection, QoS 0, in order: the debug line would have come before the error line.
                Assert.DoesNotContain("debug line above the level", sub.Output);
            }
            finally
            {
                stop.Set();
                loop.Join(TimeSpan.FromSeconds(20));
                Log.Topic = null;
            }
        }

        [Fact]
        public void A_full_buffer_drops_and_counts_and_a_full_pool_keeps_the_line_for_the_next_flush()
        {
            BrokerOptions options = BrokerOptions.Host();
            BrokerEngine engine = new BrokerEngine(options);
            LogReceiver seen = new LogReceiver();
            engine.Subscribe("$SYS/broker/log/#", seen);

            LogTopic topic = new LogTopic(engine, 256);

            // 256 bytes hold five of these (3 header + 45 text = 48 bytes each); the sixth and seventh are dropped.
            for (int i = 0; i < 7; i++)
            {
                topic.Add(LogLevel.Info, "line " + i + " ........................................");
            }

            Assert.Equal(5, topic.Waiting / 48);
            Assert.Equal(2, topic.Dropped);
            Assert.Equal(0, seen.Count);

            topic.Flush();
            Assert.Equal(5, topic.Published);
            Assert.Equal(0, topic.Waiting);
            Assert.Equal(5, seen.Count);
            Assert.Equal("$SYS/broker/log/I", seen.LastTopic);
            Assert.Equal("line 4 ........................................", seen.LastPayload);

            // Room again once flushed.
            topic.Add(LogLevel.Notice, "after the flush");
            topic.Flush();
            Assert.Equal(6, seen.Count);
            Assert.Equal("$SYS/broker/log/N", seen.LastTopic);
            Assert.Equal(2, topic.Dropped);
        }

        [Fact]
        public void A_line_written_inside_the_engines_routing_waits_for_the_loop()
        {
            BrokerEngine engine = new BrokerEngine(BrokerOptions.Host());
            LogTopic topic = new LogTopic(engine, 1024);
            LogReceiver logs = new LogReceiver();
            engine.Subscribe("$SYS/broker/log/#", logs);
            engine.Subscribe("app/#", new LogsFromHandler(topic));

            // The handler's Add happens while the engine routes (Publish there answers Busy): the line must stay.
            Assert.Equal(PublishResult.Ok, engine.Publish("app/x", new byte[] { 1 }, 0, false));
            Assert.True(topic.Waiting > 0, "the line written during routing is gone");
            Assert.Equal(0, logs.Count);

            topic.Flush();
            Assert.Equal(1, logs.Count);
            Assert.Equal("handler saw app/x", logs.LastPayload);
        }

        [Fact]
        public void Adding_and_publishing_an_ascii_line_allocates_nothing()
        {
            BrokerEngine engine = new BrokerEngine(BrokerOptions.Host());
            LogReceiver seen = new LogReceiver { KeepText = false };
            engine.Subscribe("$SYS/broker/log/#", seen);
            LogTopic topic = new LogTopic(engine, 1024);
            const string Line = "client #3: connected from 10.0.0.9:50312";
            // Measured in two halves after a warm-up: a one-off first-use allocation (tiering, on a loaded machine)
            // shows in one half only, a cost per line in both (FloodHalves).
            FloodHalves halves = new FloodHalves(200, 5200);
            for (int i = 0; i < 10200; i++)
            {
                halves.At(i);
                topic.Add(LogLevel.Info, Line);
                topic.Flush();
            }

            long allocated = halves.Quieter();
            Assert.Equal(10200, seen.Count);
            Assert.Equal(0, allocated);
        }
    }
}
