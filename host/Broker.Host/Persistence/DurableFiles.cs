using System;
using System.IO;
using System.Runtime.InteropServices;

namespace Broker.Host
{
    /// <summary>
    /// How the PC store opens and syncs its files (docs/PERSISTENCE.md). <see cref="Open"/> is replaceable, so a test can
    /// put a failing stream (a full disk at a chosen write) under the store. <see cref="SyncDirectory"/> makes a rename
    /// or a new file durable: on Linux a power cut after rename(2) can leave the old name in the folder unless the
    /// folder itself is fsynced (rename(2), fsync(2): "calling fsync() on a file does not ensure that the entry in the
    /// directory containing the file has also reached disk").
    /// </summary>
    public class DurableFiles
    {
        private const int ReadOnly = 0;
        private const int Directory = 0x10000; // O_DIRECTORY on Linux x86-64 and arm64

        /// <summary>Folder fsyncs done (for tests: each compaction does two).</summary>
        public int DirectorySyncs { get; private set; }

        /// <summary>A new, empty file for writing (the journal, the snapshot's temporary).</summary>
        public virtual Stream Open(string path)
        {
            return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 0);
        }

        /// <summary>What was written to the stream is on the disk when this returns.</summary>
        public virtual void Sync(Stream s)
        {
            if (s is FileStream f)
            {
                f.Flush(true);
            }
            else
            {
                s.Flush();
            }
        }

        /// <summary>The folder's entries (a rename, a created file) are on the disk when this returns (Linux; elsewhere the rename is left to the OS).</summary>
        public virtual void SyncDirectory(string folder)
        {
            if (!OperatingSystem.IsLinux())
            {
                return;
            }

            int fd = open(folder, ReadOnly | Directory);
            if (fd < 0)
            {
                throw new IOException(folder + ": cannot open the folder to sync it (errno " + Marshal.GetLastPInvokeError() + ")");
            }

            try
            {
                if (fsync(fd) != 0)
                {
                    throw new IOException(folder + ": fsync of the folder failed (errno " + Marshal.GetLastPInvokeError() + ")");
                }

                DirectorySyncs++;
            }
            finally
            {
                close(fd);
            }
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        private static extern int fsync(int fd);

        [DllImport("libc", SetLastError = true)]
        private static extern int close(int fd);
    }
}
