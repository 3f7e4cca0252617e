using System;
using System.Diagnostics;
using System.IO;
using Broker.Host;
using Device.Protocol;
using Device.Tests;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// A real full file system under the journal: a 512 KB tmpfs mounted for the test (needs root; skipped with the
    /// reason when mount is not permitted, unless MQTT_REQUIRE_PEERS=1), filled up with a filler file. The PUBACK
    /// waits while the disk is full, comes once the filler is gone, and the message survives a crash.
    /// </summary>
    public class FullTmpfsTests
    {
        [SkippableFact]
        public void On_a_full_tmpfs_the_ack_waits_for_room_and_the_message_survives_a_crash()
        {
            using TempDir dir = new TempDir();
            string mount = Path.Combine(dir.Path, "small");
            Directory.CreateDirectory(mount);
            string why = Run("mount", "-t tmpfs -o size=512k tmpfs " + mount);
            if (why != null)
            {
                if (Environment.GetEnvironmentVariable("MQTT_REQUIRE_PEERS") == "1")
                {
                    throw new InvalidOperationException("cannot mount a tmpfs (" + why + "); CI requires it");
                }

                Skip.If(true, "cannot mount a tmpfs for the full-disk test (" + why + "): run as root");
            }

            try
            {
                // Room in the pool and the offline queue for the 900-byte messages below.
                Device.Broker.BrokerOptions options = TestOptions.Device();
                options.PoolBytes = 64 * 1024;
                options.MaxQueuedMessages = 64;
                StoreHarness a = new StoreHarness(mount, FsyncMode.Always, options);
                FakeClient sub = a.Net.Connect("sub", false);
                sub.Subscribe("t", 1);
                sub.DropNetwork();
                FakeClient pub = a.Net.Connect("pub", false);
                pub.Send(TestPackets.Publish("t", "before", 1, 1));
                Assert.Equal(1, pub.ExpectAck(PacketType.Puback));

                string filler = Path.Combine(mount, "filler");
                Fill(filler);
                // The journal's last page may still have room (tmpfs counts whole pages): 900-byte messages, one at a
                // time, until one is not acknowledged; no more than a page's worth may be.
                string payload = new string('x', 900);
                ushort id = 1;
                while (true)
                {
                    id++;
                    Assert.True(id <= 7, "six 900-byte records were acknowledged on a full file system (journal " + a.Store.JournalBytes
                        + " B, free " + new DriveInfo(mount).AvailableFreeSpace + " B, filler " + new FileInfo(filler).Length + " B; " + string.Join("; ", a.Warnings) + ")");
                    pub.Send(TestPackets.Publish("t", payload + id, 1, id));
                    a.Net.Advance(100);
                    if (pub.Unread == 0)
                    {
                        break;
                    }

                    Assert.Equal(id, pub.ExpectAck(PacketType.Puback));
                }

                a.Net.Advance(100);
                a.Net.Advance(100);
                pub.ExpectNothing();
                Assert.True(a.Engine.StoreBehind);
                Assert.Single(a.Warnings);
                Assert.Contains("No space left on device", a.Warnings[0]);

                File.Delete(filler);
                a.Net.Advance(100);
                Assert.Equal(id, pub.ExpectAck(PacketType.Puback));
                Assert.False(a.Engine.StoreBehind);
                Assert.Contains("written again", a.Warnings[1]);
                a.Crash();

                StoreHarness b = new StoreHarness(mount, FsyncMode.Always, options);
                Assert.Empty(b.Warnings);
                FakeClient back = b.Net.Connect("sub", false);
                back.Send(TestPackets.Ack(PacketType.Puback, back.ExpectPublish("t", "before", 1).PacketId));
                for (ushort k = 2; k <= id; k++)
                {
                    back.Send(TestPackets.Ack(PacketType.Puback, back.ExpectPublish("t", payload + k, 1).PacketId));
                }

                back.ExpectNothing();
                b.Crash();
            }
            finally
            {
                // Lazy: a journal a failed assertion left open must not keep the mount.
                Run("umount", "-l " + mount);
            }
        }

        /// <summary>Writes until the file system is full (ENOSPC).</summary>
        private static void Fill(string path)
        {
            byte[] block = new byte[4096];
            using FileStream f = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 0);
            try
            {
                while (true)
                {
                    f.Write(block, 0, block.Length);
                }
            }
            catch (IOException)
            {
                // Full; a last partial block may not fit either.
            }

            try
            {
                for (int i = 0; i < 4096; i++)
                {
                    f.Write(block, 0, 1);
                }
            }
            catch (IOException)
            {
                // Full to the byte the page allows.
            }
        }

        /// <summary>Null when the command succeeded, else what it said.</summary>
        private static string Run(string program, string arguments)
        {
            try
            {
                ProcessStartInfo start = new ProcessStartInfo(program, arguments) { RedirectStandardError = true, RedirectStandardOutput = true };
                using Process p = Process.Start(start);
                string error = p.StandardError.ReadToEnd();
                p.WaitForExit();
                return p.ExitCode == 0 ? null : program + " exit " + p.ExitCode + ": " + error.Trim();
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                return program + ": " + e.Message;
            }
        }
    }
}
