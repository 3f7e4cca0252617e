using System;
using System.IO;
using Device.Broker;

namespace Broker.Host
{
    /// <summary>
    /// The PC store (docs/PERSISTENCE.md): an append-only journal of the engine's changes, compacted into a snapshot at
    /// start, every autosave_interval, when the journal passes <see cref="MaxJournalBytes"/>, and at a clean stop. Each
    /// seam call's records go to the OS in one write at its Commit (so they survive the process being killed) and then,
    /// per `fsync`: forced to the disk at once (always: no PUBACK/PUBREC leaves before its records are on the disk), at
    /// most BatchMs later (batch), or when the OS likes (never). Only persistent sessions and their QoS 1/2 deliveries
    /// are written. The record buffer is reused: nothing is allocated per message.
    /// </summary>
    public sealed class JournalStore : IPersistence, IDisposable
    {
        /// <summary>A journal longer than this is folded into a new snapshot at the next Commit.</summary>
        public long MaxJournalBytes = 64L << 20;

        private readonly PersistenceSettings _settings;
        private readonly Action<string> _warn;
        private BrokerEngine _engine;
        private Stream _journal;
        private long _generation;
        private bool[] _persisted;
        private bool[] _logged;
        private bool[] _persistedKept;
        private bool[] _loggedKept;

        // Records not yet durable in the journal (the current seam call's and any a failed write left), framed; they
        // start at _groupStart in the journal once written. The snapshot is framed in _spare, so a compaction never
        // touches them.
        private byte[] _buf = new byte[4096];
        private byte[] _spare = new byte[4096];
        private int _used;
        private int _groupRecords;
        private bool _written;
        private Stream _target;
        private int _pending = -1;

        private bool _unsynced;
        private long _groupStart;
        private long _lastSync;
        private long _lastCompaction;

        // A failure episode (full disk, I/O error): logged once when it starts and once when it ends.
        private bool _failing;
        private long _failingSince;
        private bool _compactionFailing;
        private long _nextCompactionTry;

        public JournalStore(PersistenceSettings settings, Action<string> warn)
        {
            _settings = settings;
            _warn = warn;
        }

        /// <summary>How files are opened and synced (a test replaces it to make writes fail).</summary>
        public DurableFiles Files = new DurableFiles();

        /// <summary>True while the journal cannot be written (the engine sends nothing meanwhile: BrokerEngine.StoreBehind).</summary>
        public bool Failing { get { return _failing; } }

        /// <summary>Failure episodes so far (each logged once).</summary>
        public int FailureEpisodes { get; private set; }

        /// <summary>
        /// The store the settings ask for, opened into the engine (null when persistence is off). A store that cannot be
        /// written at all (no such folder, no room) is reported and the broker runs without it rather than not at all.
        /// </summary>
        public static JournalStore Start(BrokerEngine engine, PersistenceSettings settings, MosquittoLog log)
        {
            if (!settings.Enabled)
            {
                return null;
            }

            JournalStore store = new JournalStore(settings, m => log.Warning(m));
            try
            {
                StoreModel read = store.Open(engine, Environment.TickCount64);
                log.Notice("Restored from " + settings.SnapshotPath + ": " + read.Retained.Count + " retained messages, " + read.Sessions.Count
                    + " persistent sessions, " + read.Entries.Count + " queued or in-flight messages; fsync " + settings.Fsync.ToString().ToLowerInvariant()
                    + (settings.Fsync == FsyncMode.Batch ? " " + settings.BatchMs + " ms" : "") + ".");
                return store;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                log.Error("persistence: cannot write " + settings.SnapshotPath + " (" + e.Message + "); running WITHOUT persistence");
                store.Dispose();
                return null;
            }
        }

        public long Generation { get { return _generation; } }

        /// <summary>Journal records written since the last compaction (for tests and the log).</summary>
        public long JournalBytes { get { return _journal != null ? _journal.Length : 0; } }

        public int Fsyncs { get; private set; }

        /// <summary>
        /// Reads the files back into the engine (before its first Accept), writes a fresh snapshot of what it took and an
        /// empty journal, and attaches itself. Returns the model that was read (what the files held).
        /// </summary>
        public StoreModel Open(BrokerEngine engine, long nowMs)
        {
            _engine = engine;
            _persisted = new bool[engine.Sessions.Capacity];
            _logged = new bool[engine.Deliveries.Capacity];
            _persistedKept = new bool[_persisted.Length];
            _loggedKept = new bool[_logged.Length];
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_settings.SnapshotPath)));
            StoreModel model = new StoreModel();
            StoreReader.Result snapshot = StoreReader.ReadSnapshot(_settings.SnapshotPath, model, _warn);
            StoreReader.Result journal = StoreReader.ReadJournal(_settings.JournalPath, model, _warn, snapshot.Generation);
            StoreModel.Refusals refused = model.ApplyTo(engine);
            if (refused.Total > 0)
            {
                _warn(_settings.SnapshotPath + ": " + refused.Total + " saved items did not fit this broker's limits and were dropped ("
                    + refused.Retained + " retained, " + refused.Sessions + " sessions, " + refused.Subscriptions + " subscriptions, "
                    + refused.Incoming + " QoS 2 ids, " + refused.Deliveries + " messages)");
            }

            _generation = Math.Max(snapshot.Generation, journal.Generation);
            try
            {
                Compact(nowMs);
            }
            catch (IOException e) when (!(e is DirectoryNotFoundException))
            {
                // A full disk at start: the old snapshot and journal still hold everything; they are replaced only by a
                // compaction that succeeds, tried at every Commit, and until then nothing is acknowledged.
                Failed(e, nowMs, _settings.SnapshotPath);
            }

            engine.Attach(this);
            return model;
        }

        /// <summary>
        /// Folds everything into a new snapshot (generation + 1) and starts an empty journal of the same generation. The
        /// snapshot holds the engine's whole saved state, so records still waiting for the journal are in it and are let
        /// go. Throws when a file cannot be written; the previous snapshot and journal are then untouched or, after the
        /// rename, superseded, and <see cref="Commit"/> tries again (no journal until one succeeds).
        /// </summary>
        public void Compact(long nowMs)
        {
            Seal();
            long next = _generation + 1;
            string tmp = _settings.SnapshotPath + ".tmp";
            string folder = Path.GetDirectoryName(Path.GetFullPath(_settings.SnapshotPath));
            byte[] keep = _buf;
            int keepUsed = _used;
            int keepRecords = _groupRecords;
            Array.Copy(_persisted, _persistedKept, _persisted.Length);
            Array.Copy(_logged, _loggedKept, _logged.Length);
            _buf = _spare;
            _used = 0;
            _groupRecords = 0;
            bool renamed = false;
            try
            {
                using (Stream snapshot = Files.Open(tmp))
                {
                    byte[] header = new byte[StoreFormat.HeaderLength];
                    StoreFormat.WriteHeader(header, StoreFormat.Snapshot, next);
                    snapshot.Write(header, 0, header.Length);
                    Array.Clear(_persisted, 0, _persisted.Length);
                    Array.Clear(_logged, 0, _logged.Length);
                    _target = snapshot;
                    _engine.SaveTo(this);
                    Record(RecordType.Commit, 0);
                    Flush();
                    _target = null;
                    Files.Sync(snapshot);
                }

                // The rename is the switch: before it the old snapshot and journal hold; after it the old journal's
                // generation no longer matches and is skipped, so nothing is applied twice. The folder's fsync makes the
                // rename itself survive a power cut (else the old name may come back with the old snapshot).
                File.Move(tmp, _settings.SnapshotPath, true);
                renamed = true;
                _generation = next;
                _journal?.Dispose();
                _journal = null;
                Files.SyncDirectory(folder);
                Stream journal = Files.Open(_settings.JournalPath);
                byte[] jh = new byte[StoreFormat.HeaderLength];
                StoreFormat.WriteHeader(jh, StoreFormat.Journal, next);
                journal.Write(jh, 0, jh.Length);
                Files.Sync(journal);
                Files.SyncDirectory(folder);
                _journal = journal;
                Fsyncs++;
            }
            catch (Exception) when (!renamed)
            {
                _target = null;
                _pending = -1;
                Array.Copy(_persistedKept, _persisted, _persisted.Length);
                Array.Copy(_loggedKept, _logged, _logged.Length);
                TryDelete(tmp);
                throw;
            }
            finally
            {
                _target = null;
                _spare = _buf;
                _buf = keep;
                _used = keepUsed;
                _groupRecords = keepRecords;
            }

            // The snapshot holds what was waiting: nothing is owed to the journal.
            _used = 0;
            _groupRecords = 0;
            _written = false;
            _groupStart = _journal.Position;
            _lastCompaction = nowMs;
            _lastSync = nowMs;
            _unsynced = false;
        }

        /// <summary>A clean stop: the journal folded into the snapshot (as Mosquitto saves on exit), files closed.</summary>
        public void Close(long nowMs)
        {
            if (Commit(nowMs) && _journal != null)
            {
                try
                {
                    Compact(nowMs);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    // The journal holds everything: the next start reads it.
                    _warn("persistence: " + _settings.SnapshotPath + ": compaction at stop failed (" + e.Message + "); the journal holds the state");
                }
            }

            Dispose();
        }

        public void Dispose()
        {
            _journal?.Dispose();
            _journal = null;
        }

        // ---- IPersistence ------------------------------------------------------------------------

        public void SessionSaved(int s, byte[] id, int offset, int length)
        {
            _persisted[s] = true;
            int p = Record(RecordType.SessionSaved, 4 + length);
            StoreFormat.PutInt32(_buf, p, s);
            Array.Copy(id, offset, _buf, p + 4, length);
        }

        public void SessionRemoved(int s)
        {
            if (!_persisted[s])
            {
                return;
            }

            _persisted[s] = false;
            int p = Record(RecordType.SessionRemoved, 4);
            StoreFormat.PutInt32(_buf, p, s);
        }

        public void Subscribed(int s, byte[] filter, int offset, int length, byte qos)
        {
            if (!_persisted[s])
            {
                return;
            }

            int p = Record(RecordType.Subscribed, 5 + length);
            StoreFormat.PutInt32(_buf, p, s);
            _buf[p + 4] = qos;
            Array.Copy(filter, offset, _buf, p + 5, length);
        }

        public void Unsubscribed(int s, byte[] filter, int offset, int length)
        {
            if (!_persisted[s])
            {
                return;
            }

            int p = Record(RecordType.Unsubscribed, 4 + length);
            StoreFormat.PutInt32(_buf, p, s);
            Array.Copy(filter, offset, _buf, p + 4, length);
        }

        public void RetainedSet(byte[] data, int topicOffset, int topicLength, int payloadOffset, int payloadLength, byte qos)
        {
            int p = Record(RecordType.RetainedSet, 3 + topicLength + payloadLength);
            _buf[p] = qos;
            StoreFormat.PutUInt16(_buf, p + 1, topicLength);
            Array.Copy(data, topicOffset, _buf, p + 3, topicLength);
            Array.Copy(data, payloadOffset, _buf, p + 3 + topicLength, payloadLength);
        }

        public void IncomingAdded(int s, ushort packetId)
        {
            Incoming(RecordType.IncomingAdded, s, packetId);
        }

        public void IncomingRemoved(int s, ushort packetId)
        {
            Incoming(RecordType.IncomingRemoved, s, packetId);
        }

        private void Incoming(byte type, int s, ushort packetId)
        {
            if (!_persisted[s])
            {
                return;
            }

            int p = Record(type, 6);
            StoreFormat.PutInt32(_buf, p, s);
            StoreFormat.PutUInt16(_buf, p + 4, packetId);
        }

        public void DeliveryAdded(int s, int e, byte[] data, int topicOffset, int topicLength, int payloadOffset, int payloadLength,
            int message, byte qos, byte state, ushort packetId, bool retain)
        {
            if (!_persisted[s] || qos == 0)
            {
                // Not saved: QoS 0 and clean sessions end with the process (docs/PERSISTENCE.md, "What is saved").
                return;
            }

            _logged[e] = true;
            int p = Record(RecordType.DeliveryAdded, 19 + topicLength + payloadLength);
            StoreFormat.PutInt32(_buf, p, s);
            StoreFormat.PutInt32(_buf, p + 4, e);
            StoreFormat.PutInt32(_buf, p + 8, message);
            _buf[p + 12] = qos;
            _buf[p + 13] = state;
            StoreFormat.PutUInt16(_buf, p + 14, packetId);
            _buf[p + 16] = retain ? (byte)1 : (byte)0;
            StoreFormat.PutUInt16(_buf, p + 17, topicLength);
            if (topicLength + payloadLength > 0)
            {
                Array.Copy(data, topicOffset, _buf, p + 19, topicLength);
                Array.Copy(data, payloadOffset, _buf, p + 19 + topicLength, payloadLength);
            }
        }

        public void DeliveryChanged(int e, byte state, ushort packetId)
        {
            if (!_logged[e])
            {
                return;
            }

            int p = Record(RecordType.DeliveryChanged, 7);
            StoreFormat.PutInt32(_buf, p, e);
            _buf[p + 4] = state;
            StoreFormat.PutUInt16(_buf, p + 5, packetId);
        }

        public void DeliveryRemoved(int e)
        {
            if (!_logged[e])
            {
                return;
            }

            _logged[e] = false;
            int p = Record(RecordType.DeliveryRemoved, 4);
            StoreFormat.PutInt32(_buf, p, e);
        }

        /// <summary>
        /// Writes the records of this seam call (and any a failed write left) to the journal as one group and syncs it as
        /// `fsync` says. False when that failed (a full disk, an I/O error): the records stay here, what reached the file
        /// is cut back (a torn group in the middle would hide every group after it), the engine sends nothing, and the
        /// next Commit (the engine's Tick: every 100 ms) tries again. Logged once when it starts and once when it ends.
        /// </summary>
        public bool Commit(long nowMs)
        {
            try
            {
                if (_journal == null)
                {
                    // No journal since a failed compaction: only a new snapshot (which holds everything) brings one,
                    // tried at most every 100 ms (a snapshot is the whole state).
                    if (nowMs < _nextCompactionTry)
                    {
                        return false;
                    }

                    _nextCompactionTry = nowMs + 100;
                    Compact(nowMs);
                }

                WriteGroup(nowMs);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                _target = null;
                if (_journal != null)
                {
                    TryTruncate();
                }

                Failed(e, nowMs, _journal == null ? _settings.SnapshotPath : _settings.JournalPath);
                return false;
            }

            if (_failing)
            {
                _failing = false;
                _warn("persistence: " + _settings.JournalPath + ": written again after " + (nowMs - _failingSince)
                    + " ms; acknowledgements and deliveries resume");
            }

            MaybeCompact(nowMs);
            return true;
        }

        private void WriteGroup(long nowMs)
        {
            if (_groupRecords > 0)
            {
                Record(RecordType.Commit, 0);
                Seal();
                _groupRecords = 0;
            }

            if (_used > 0 && !_written)
            {
                _journal.Position = _groupStart;
                _journal.Write(_buf, 0, _used);
                _written = true;
                _unsynced = true;
            }

            if (_unsynced && (_settings.Fsync == FsyncMode.Always || (_settings.Fsync == FsyncMode.Batch && nowMs - _lastSync >= _settings.BatchMs)))
            {
                Sync(nowMs);
            }

            if (_written && (_settings.Fsync != FsyncMode.Always || !_unsynced))
            {
                // With fsync always the group is kept until it is on the disk: a failed fsync writes it again (after a
                // failed fsync the kernel may have dropped the pages it could not write back).
                _groupStart = _journal.Position;
                _used = 0;
                _written = false;
            }
        }

        private void MaybeCompact(long nowMs)
        {
            bool due = _journal.Length > MaxJournalBytes
                || (_settings.AutosaveIntervalSeconds > 0 && _journal.Length > StoreFormat.HeaderLength
                    && nowMs - _lastCompaction >= _settings.AutosaveIntervalSeconds * 1000L);
            if (!due || nowMs < _nextCompactionTry)
            {
                return;
            }

            try
            {
                Compact(nowMs);
                if (_compactionFailing)
                {
                    _compactionFailing = false;
                    _warn("persistence: " + _settings.SnapshotPath + ": compaction works again");
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // The journal still holds everything (or, after the rename, the new snapshot does and Commit opens a new
                // journal): a failed compaction costs disk space, not data. Tried again in 5 s.
                _nextCompactionTry = nowMs + 5000;
                if (!_compactionFailing)
                {
                    _warn("persistence: " + _settings.SnapshotPath + ": compaction failed (" + e.Message + "); the journal goes on, retrying every 5 s");
                }

                _compactionFailing = true;
            }
        }

        private void Failed(Exception e, long nowMs, string file)
        {
            if (!_failing)
            {
                FailureEpisodes++;
                _failingSince = nowMs;
                _warn("persistence: " + file + ": write failed (" + e.Message + "); holding back every PUBACK/PUBREC (and all output) "
                    + "until it can be written, retrying every 100 ms");
            }

            _failing = true;
        }

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // Left behind: overwritten by the next compaction.
            }
        }

        // ---- Records -------------------------------------------------------------------------------

        /// <summary>Starts a record of type with a body of 1 + length bytes; returns where its fields go (the CRC is added by Flush).</summary>
        private int Record(byte type, int length)
        {
            Seal();
            if (_target != null && _used > 1 << 20)
            {
                // A snapshot is written in pieces: only a journal group must go out in one write.
                Flush();
            }

            int need = _used + 9 + length;
            if (need > _buf.Length)
            {
                // Grows to the largest record and group seen, then is reused.
                Array.Resize(ref _buf, Math.Max(need, _buf.Length * 2));
            }

            int at = _used;
            StoreFormat.PutInt32(_buf, at, 1 + length);
            _buf[at + 4] = type;
            _used = need;
            _groupRecords++;
            // The CRC is added when the record's fields are in: at the next Record or at Flush.
            _pending = at;
            return at + 5;
        }

        private void Seal()
        {
            if (_pending < 0)
            {
                return;
            }

            int length = StoreFormat.GetInt32(_buf, _pending);
            StoreFormat.PutUInt32(_buf, _pending + 4 + length, Crc32.Compute(_buf, _pending + 4, length));
            _pending = -1;
        }

        private void Flush()
        {
            Seal();
            if (_used > 0)
            {
                _target.Write(_buf, 0, _used);
            }

            _used = 0;
            _groupRecords = 0;
        }

        private void TryTruncate()
        {
            try
            {
                // The next write starts at _groupStart again whether or not this works.
                _written = false;
                _journal.SetLength(_groupStart);
                _journal.Position = _groupStart;
            }
            catch (IOException)
            {
                // Still failing: the next attempt truncates again.
            }
        }

        private void Sync(long nowMs)
        {
            Files.Sync(_journal);
            Fsyncs++;
            _lastSync = nowMs;
            _unsynced = false;
        }
    }
}
