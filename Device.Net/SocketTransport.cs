using System.Net.Sockets;
using System.Net;
using System.Threading;
using System;
using Device.Broker;

namespace Device.Net
{
    /// <summary>
    /// The single-threaded poll loop between sockets and the engine (<see cref="IEngine"/>), on the board and on the
    /// PC alike. It uses only what nanoFramework's System.Net has: sockets that always block, Poll, Available, no
    /// Select. So every call it makes is one it knows returns at once:
    /// <list type="bullet">
    /// <item>Accept only after the listener polls readable.</item>
    /// <item>Receive only what Available reports, and never more than the engine's buffer has free.</item>
    /// <item>Send through the <see cref="ISocketPlatform"/>, which takes what it can without blocking. The board's
    /// (<see cref="PollingPlatform"/>) sends only after the socket polls writable, and then at most <see cref="DefaultChunk"/> bytes, which a
    /// writable socket always takes whole (see there). A subscriber that stops reading is simply not written to
    /// until it polls writable again; its bytes wait in the engine, which applies its own limits.</item>
    /// <item>SendTimeout bounds the one case left (a stack that reports writable with less room): the send fails
    /// after half a second and only that connection is dropped.</item>
    /// </list>
    /// Nothing is allocated per message: the engine owns the buffers, the loop reads into and sends from them.
    /// </summary>
    public sealed class SocketTransport
    {
        /// <summary>
        /// lwIP (ESP32) reports a socket writable only while more than TCP_SNDLOWAT bytes of its send buffer are free
        /// (about 2.9 KB with ESP-IDF's 5744-byte buffer); Linux only while at least a third of it is (1.5 KB at the
        /// smallest). A writable socket therefore takes 1 KB without blocking on either.
        /// </summary>
        public const int DefaultChunk = 1024;

        /// <summary>A time source in milliseconds; any monotonic clock will do.</summary>
        public delegate long Clock();

        // One busy connection gets at most this many chunks per pass, so it cannot hold up the others.
        private const int ChunksPerVisit = 8;
        private const int AcceptsPerPass = 4;

        // With readiness (epoll) a pass costs little per idle socket, so a burst of connections is taken faster.
        private const int AcceptsPerReadyPass = 64;
        private const int TickEveryMs = 100;

        // A backstop only (sends are sized to what Poll says fits); nanoFramework stores the timeout as given.
        private const int SendTimeoutMs = 500;

        // A connection the engine wants closed gets this long to take its last packets (CONNACK, SUBACK...).
        private const int CloseFlushMs = 2000;

        // After a half-close, this long for the peer to close its side while what it still sends is discarded.
        private const int CloseDrainMs = 2000;
        private const int DrainReadsPerVisit = 16;

        private readonly IEngine _engine;
        private readonly ITransportLog _log;
        private readonly Clock _clock;
        private readonly ISocketPlatform _platform;

        // The same platform when it reports readiness (the PC's epoll), else null: see IReadinessPlatform.
        private readonly IReadinessPlatform _readiness;

        // The same platform when it keeps connections as file descriptors (the PC on Linux), else null: then _fds holds
        // each slot's descriptor (-1: none) and _sockets stays empty (see IDescriptorPlatform). The board has neither.
        private readonly IDescriptorPlatform _fdPlatform;
        private readonly int[] _fds;
        private readonly Socket[] _sockets;
        private readonly bool[] _wantsWrite;

        // False while the engine has no room for that connection's bytes (back-pressure): the idle wait then
        // must not wake for its readable socket, or a held publisher would make the loop spin.
        private readonly bool[] _wantsRead;

        // With readiness only (the PC): a connection the engine had no room for is asked again only once this is
        // set (it was woken, sent to, or a Tick passed), not every pass: 1,000 held publishers made every pass
        // ask 1,000 buffers, which was most of the loop's time in fan-in 1000:1.
        private readonly bool[] _recheck;

        // With readiness only: the platform reported the slot since its last read (TakeReady), so a read may find bytes.
        private readonly bool[] _readable;

        // With readiness and an engine that wakes for output (IEngine.WakesForOutput, the PC's grown buffers): a pass
        // visits only the slots queued here (ready sockets, woken connections, ones left with output) instead of every
        // open one; 10,000 idle clients cost nothing per pass. A ring without repeats (_queued) of all slots at most.
        private readonly bool _readyOnly;
        private readonly int[] _visit;
        private readonly bool[] _queued;
        private int _visitStart;
        private int _visitCount;

        // Every SweepTicks Ticks (a second) every open slot is visited once anyway: the close and drain deadlines of
        // connections waiting on a peer that sends nothing, and a backstop for any output no wake named.
        private const int SweepTicks = 10;
        private int _ticks;
        private long _visits;
        private readonly long[] _closeBy;
        private readonly bool[] _draining;
        private readonly Overflow _overflow;

        // Bridges (connection blocks) served by this same loop, after the sockets of each pass.
        private readonly BridgeLink[] _bridges = new BridgeLink[MaxBridges];
        private int _bridgeCount;

        public const int MaxBridges = 4;

        /// <summary>Serves the bridge from this loop; before Run.</summary>
        public void AddBridge(BridgeLink link)
        {
            if (_readiness != null)
            {
                // Its socket under a slot past the connections' (TakeReady ignores those): an idle wait ends when it has bytes.
                link.Watch(_readiness, _sockets.Length + _bridgeCount);
            }

            _bridges[_bridgeCount++] = link;
        }
        private readonly byte[] _drain = new byte[Quiet.DrainSize];

        // Mosquitto's listener blocks: each its own socket, port and optional max_connections.
        private readonly Socket[] _listeners = new Socket[MaxListeners];
        private readonly int[] _ports = new int[MaxListeners];
        private readonly int[] _listenerLimit = new int[MaxListeners];
        private readonly int[] _listenerOpen = new int[MaxListeners];
        private readonly byte[] _listenerOf;
        private int _listenerCount;
        private int _open;

        // Slots from this index up hold no socket: a pass (and the readiness scan) stops there, not at the
        // 20,000 slots of the Host profile when 1,000 are open.
        private int _span;
        private int _faults;
        private long _nextTick;
        // Set from another thread; nanoFramework's mscorlib has no IsVolatile, so Interlocked makes it visible.
        private int _stop;

        /// <param name="engine">The broker engine; the transport is its only caller.</param>
        /// <param name="connections">The engine's connection slots (BrokerOptions.Connections): one socket each at most.</param>
        /// <param name="log">Optional; told of accepts, refusals and network failures.</param>
        /// <param name="clock">Optional; DateTime.UtcNow in milliseconds when null (the board has nothing steadier).</param>
        /// <param name="chunk">Largest single Send; 0 for <see cref="DefaultChunk"/>.</param>
        public SocketTransport(IEngine engine, int connections, ITransportLog log, Clock clock, int chunk)
            : this(engine, connections, log, clock, new PollingPlatform(chunk))
        {
        }

        /// <param name="platform">How sockets are set up, sent to and waited on; see <see cref="ISocketPlatform"/>.</param>
        public SocketTransport(IEngine engine, int connections, ITransportLog log, Clock clock, ISocketPlatform platform)
        {
            _engine = engine;
            _log = log;
            _clock = clock;
            _platform = platform;
            _readiness = platform as IReadinessPlatform;
            _fdPlatform = platform as IDescriptorPlatform;
            if (_fdPlatform != null)
            {
                _fds = new int[connections];
                for (int i = 0; i < connections; i++)
                {
                    _fds[i] = -1;
                }
            }

            _sockets = new Socket[connections];
            _wantsWrite = new bool[connections];
            _wantsRead = new bool[connections];
            _recheck = _readiness != null ? new bool[connections] : null;
            _readable = _readiness != null ? new bool[connections] : null;
            _readyOnly = _readiness != null && engine.WakesForOutput;
            if (_readyOnly)
            {
                _visit = new int[connections];
                _queued = new bool[connections];
            }

            _closeBy = new long[connections];
            _draining = new bool[connections];
            _listenerOf = new byte[connections];
            _overflow = new Overflow(log);
        }

        /// <summary>Most listening sockets one transport serves.</summary>
        public const int MaxListeners = 8;

        /// <summary>The port of the first listener (useful after Start with port 0).</summary>
        public int Port { get { return _ports[0]; } }

        public int Listeners { get { return _listenerCount; } }

        /// <summary>The port listener i listens on.</summary>
        public int PortOf(int listener)
        {
            return _ports[listener];
        }

        /// <summary>Which listener (0-based, in Start order) accepted connection c.</summary>
        public int ListenerOf(int connection)
        {
            return _listenerOf[connection];
        }

        /// <summary>Sockets currently held for the engine's connections.</summary>
        public int OpenConnections { get { return _open; } }

        public long Now()
        {
            return _clock != null ? _clock() : DateTime.UtcNow.Ticks / TimeSpan.TicksPerMillisecond;
        }

        /// <summary>Binds and listens; throws SocketException when the address or port cannot be had.</summary>
        public void Start(IPAddress address, int port, int backlog)
        {
            Start(address, port, backlog, 0);
        }

        /// <summary>
        /// Adds a listener (call once per listener, before Run); returns its index. A connection beyond
        /// <paramref name="maxConnections"/> on this listener (0 = no limit of its own) is closed at once, as
        /// Mosquitto's per-listener max_connections does.
        /// </summary>
        public int Start(IPAddress address, int port, int backlog, int maxConnections)
        {
            if (_listenerCount == MaxListeners)
            {
                throw new InvalidOperationException("at most " + MaxListeners.ToString() + " listeners");
            }

            Socket listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                listener.Bind(new IPEndPoint(address, port));
                listener.Listen(backlog);
                _ports[_listenerCount] = ((IPEndPoint)listener.LocalEndPoint).Port;
            }
            catch
            {
                listener.Close();
                throw;
            }

            _listeners[_listenerCount] = listener;
            _listenerLimit[_listenerCount] = maxConnections;
            _listenerOpen[_listenerCount] = 0;
            _nextTick = Now();
            return _listenerCount++;
        }

        /// <summary>Runs the loop on the calling thread until <see cref="Stop"/>, then closes every socket.</summary>
        public void Run()
        {
            while (Interlocked.CompareExchange(ref _stop, 0, 0) == 0)
            {
                Step();
            }

            Shutdown();
        }

        /// <summary>One turn of <see cref="Run"/>: a pass, then, when nothing moved, the platform's wait (the board sleeps 1 ms).</summary>
        public void Step()
        {
            bool busy = RunOnce(Now());
            if (!busy)
            {
                _platform.Idle(_listeners, _sockets, _wantsRead, _wantsWrite);
            }
            else if (_readiness != null)
            {
                _readiness.Refresh(_listeners);
            }
        }

        /// <summary>Asks <see cref="Run"/> to return; safe from any thread (Ctrl+C, a test).</summary>
        public void Stop()
        {
            Interlocked.Exchange(ref _stop, 1);
        }

        /// <summary>
        /// One pass over the listener and the sockets (every one, or with readiness and an engine that wakes for
        /// output only those with something to do). True when anything was accepted, read or sent.
        /// </summary>
        public bool RunOnce(long now)
        {
            bool busy = AcceptPending(now);
            if (_readiness != null)
            {
                TakeReady();
            }

            if (_readyOnly)
            {
                Woken();
                // Only what was queued before the pass: slots queued during it (woken by its routing) wait for the next.
                for (int n = _visitCount; n > 0; n--)
                {
                    int c = _visit[_visitStart];
                    _visitStart = (_visitStart + 1) % _visit.Length;
                    _visitCount--;
                    _queued[c] = false;
                    if (Held(c) && Visit(c, now))
                    {
                        busy = true;
                    }
                }

                if (Woken() || _visitCount > 0)
                {
                    busy = true;
                }
            }
            else
            {
                for (int c = 0; c < _span; c++)
                {
                    // Written out (not Held) so the board pays a field load here, not a call.
                    if ((_sockets[c] != null || (_fds != null && _fds[c] >= 0)) && Visit(c, now))
                    {
                        busy = true;
                    }
                }

                if (_recheck != null && Woken())
                {
                    // A woken connection is not watched for reading: the next pass must come without the idle wait.
                    busy = true;
                }
            }

            if (_overflow.Service(now))
            {
                busy = true;
            }

            for (int b = 0; b < _bridgeCount; b++)
            {
                try
                {
                    busy |= _bridges[b].Service(now);
                }
                catch (Exception e)
                {
                    // A bridge's fault never stops the listeners.
                    Fault(-1, e, now);
                }
            }

            if (now >= _nextTick)
            {
                _nextTick = now + TickEveryMs;
                try
                {
                    _engine.Tick(now);
                }
                catch (Exception e)
                {
                    Fault(-1, e, now);
                }

                if (_recheck != null)
                {
                    // A backstop: whatever gave room without a wake (say buffers freed by others) is seen within a Tick.
                    for (int c = 0; c < _recheck.Length; c++)
                    {
                        _recheck[c] = true;
                    }

                    busy = true;
                }

                if (_readyOnly)
                {
                    // The held ones (not watched for reading) are asked again each Tick, and every open one each sweep.
                    bool sweep = ++_ticks >= SweepTicks;
                    if (sweep)
                    {
                        _ticks = 0;
                    }

                    for (int c = 0; c < _span; c++)
                    {
                        if (Held(c) && (sweep || !_wantsRead[c] || _closeBy[c] != 0))
                        {
                            Enqueue(c);
                        }
                    }
                }
            }

            return busy;
        }

        /// <summary>Connections served so far, one per visit (what a pass costs: tests and benchmarks read it).</summary>
        public long Visits { get { return _visits; } }

        /// <summary>True when a pass visits only connections with something to do (readiness and an engine that wakes for output).</summary>
        public bool ReadyOnly { get { return _readyOnly; } }

        /// <summary>Serves one connection, then tells the platform what to watch it for and queues it again if it is not done.</summary>
        private bool Visit(int c, long now)
        {
            _visits++;
            bool busy = Service(c, now);
            if (_readiness != null && Held(c))
            {
                _readiness.Interest(c, _wantsRead[c], _wantsWrite[c]);
                if (_readyOnly && NeedsVisit(c))
                {
                    Enqueue(c);
                }
            }

            return busy;
        }

        /// <summary>
        /// Whether the next pass must come back without an event: output left that the socket would still take (the
        /// per-visit chunk limit), or a close in progress. A full socket waits for its writable event, a draining
        /// one for its bytes or close (and the sweep for its deadline).
        /// </summary>
        private bool NeedsVisit(int c)
        {
            if (_draining[c] || _wantsWrite[c])
            {
                return false;
            }

            if (_engine.WantsClose(c))
            {
                return true;
            }

            byte[] buffer;
            int offset;
            return _engine.PendingOutput(c, out buffer, out offset) > 0;
        }

        private void Enqueue(int c)
        {
            if (_queued[c])
            {
                return;
            }

            _queued[c] = true;
            _visit[(_visitStart + _visitCount) % _visit.Length] = c;
            _visitCount++;
        }

        /// <summary>Marks (and with ready-only passes queues) the slots the platform reported since the last pass.</summary>
        private void TakeReady()
        {
            int c;
            while ((c = _readiness.TakeReady()) >= 0)
            {
                if (c < _readable.Length && Held(c))
                {
                    _readable[c] = true;
                    if (_readyOnly)
                    {
                        Enqueue(c);
                    }
                }
            }
        }

        /// <summary>Marks the connections the engine woke for another read; true when there were any.</summary>
        private bool Woken()
        {
            bool any = false;
            int c;
            while ((c = _engine.TakeWoken()) >= 0)
            {
                if (c < _recheck.Length)
                {
                    _recheck[c] = true;
                    any = true;
                    if (_readyOnly && Held(c))
                    {
                        Enqueue(c);
                    }
                }
            }

            return any;
        }

        // ---- Accepting -------------------------------------------------------------------------------

        private bool AcceptPending(long now)
        {
            bool busy = false;
            for (int l = 0; l < _listenerCount; l++)
            {
                if (AcceptFrom(l, now))
                {
                    busy = true;
                }
            }

            return busy;
        }

        private bool AcceptFrom(int l, long now)
        {
            bool busy = false;
            Socket listener = _listeners[l];
            int accepts = _readiness != null ? AcceptsPerReadyPass : AcceptsPerPass;
            for (int i = 0; i < accepts && listener.Poll(0, SelectMode.SelectRead); i++)
            {
                Socket s = null;
                int fd = -1;
                if (_fdPlatform != null)
                {
                    // No Socket object for the connection: a descriptor is all an idle client costs.
                    fd = _fdPlatform.Accept(listener);
                    if (fd < 0)
                    {
                        return busy;
                    }
                }
                else
                {
                    try
                    {
                        s = listener.Accept();
                    }
                    catch (SocketException)
                    {
                        // lwIP out of sockets: the stack has already reset that connection.
                        return busy;
                    }
                }

                busy = true;
                if (_listenerLimit[l] > 0 && _listenerOpen[l] >= _listenerLimit[l])
                {
                    if (_log != null)
                    {
                        _log.Refused(RemoteOf(s, fd), false);
                    }

                    CloseEither(s, fd);
                    continue;
                }

                int c;
                try
                {
                    c = _engine.Accept(now);
                }
                catch (Exception e)
                {
                    CloseEither(s, fd);
                    Fault(-1, e, now);
                    continue;
                }

                if (c >= _sockets.Length)
                {
                    // The engine has more slots than this transport was sized for: give the slot back.
                    _engine.Closed(c, now);
                    c = -1;
                }

                if (c < 0)
                {
                    if (s == null)
                    {
                        // The overflow room is rare and talks through a Socket: the descriptor is wrapped for it.
                        s = _fdPlatform.Adopt(fd);
                    }

                    if (s != null)
                    {
                        _overflow.Add(s, now);
                    }

                    continue;
                }

                if (s != null)
                {
                    Configure(s);
                    _platform.Accepted(s);
                    _sockets[c] = s;
                }
                else
                {
                    _fds[c] = fd;
                }

                if (c >= _span)
                {
                    _span = c + 1;
                }

                _closeBy[c] = 0;
                _wantsWrite[c] = false;
                _listenerOf[c] = (byte)l;
                _listenerOpen[l]++;
                _wantsRead[c] = true;
                _open++;
                if (_readiness != null)
                {
                    if (s != null)
                    {
                        _readiness.Opened(s, c);
                    }
                    else
                    {
                        _fdPlatform.Opened(fd, c);
                    }

                    // CONNECT may be in the socket already: the first visit looks.
                    _readable[c] = true;
                    if (_readyOnly)
                    {
                        Enqueue(c);
                    }
                }

                if (_log != null)
                {
                    try
                    {
                        _log.Opened(c, RemoteOf(s, fd));
                    }
                    catch (Exception e)
                    {
                        Fault(c, e, now);
                    }
                }
            }

            return busy;
        }

        /// <summary>Whether slot c holds a connection (a socket, or with a descriptor platform a descriptor).</summary>
        private bool Held(int c)
        {
            return _sockets[c] != null || (_fds != null && _fds[c] >= 0);
        }

        private EndPoint RemoteOf(Socket s, int fd)
        {
            return s != null ? Quiet.RemoteOf(s) : _fdPlatform.RemoteOf(fd);
        }

        /// <summary>Closes an accepted connection that got no slot: a socket, or a descriptor.</summary>
        private void CloseEither(Socket s, int fd)
        {
            if (s != null)
            {
                Quiet.Close(s, _drain);
            }
            else
            {
                _fdPlatform.Close(fd);
            }
        }

        /// <summary>Closes slot c's socket or descriptor and empties the slot.</summary>
        private void CloseSlot(int c)
        {
            if (_sockets[c] != null)
            {
                Quiet.Close(_sockets[c], _drain);
                _sockets[c] = null;
            }
            else if (_fds != null && _fds[c] >= 0)
            {
                _fdPlatform.Close(_fds[c]);
                _fds[c] = -1;
            }
        }

        private static void Configure(Socket s)
        {
            try
            {
                s.SendTimeout = SendTimeoutMs;
                // MQTT packets are small and answered one by one: Nagle plus delayed ACKs would add tens of ms each.
                s.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.NoDelay, true);
            }
            catch (SocketException)
            {
                // A stack without these options still works, only less well.
            }
        }

        // ---- Serving one connection ------------------------------------------------------------------

        private bool Service(int c, long now)
        {
            Socket s = _sockets[c];
            try
            {
                if (_engine.WantsClose(c))
                {
                    return Closing(c, s, now);
                }

                int read = Read(c, s, now);
                if (read < 0)
                {
                    // A socket's failed read threw (below); a descriptor's says why in LastError (0: the peer closed).
                    Drop(c, s != null ? 0 : _fdPlatform.LastError, now);
                    return true;
                }

                bool wrote = Write(c, s);
                return read > 0 || wrote;
            }
            catch (SocketException e)
            {
                Drop(c, e.ErrorCode, now);
                return true;
            }
            catch (ObjectDisposedException)
            {
                Drop(c, -1, now);
                return true;
            }
            catch (Exception e)
            {
                // Last resort: whatever threw while serving this one connection ends it, and only it.
                Fault(c, e, now);
                return true;
            }
        }

        /// <summary>Connections closed because serving them threw (see <see cref="ITransportLog.Faulted"/>).</summary>
        public int Faults { get { return _faults; } }

        private void Fault(int c, Exception e, long now)
        {
            _faults++;
            if (_log != null)
            {
                try
                {
                    _log.Faulted(c, e);
                }
                catch (Exception)
                {
                    // A log that cannot write must not take the loop down with it.
                }
            }

            if (c < 0 || !Held(c))
            {
                return;
            }

            CloseSlot(c);
            Narrow();
            _closeBy[c] = 0;
            _wantsWrite[c] = false;
            _open--;
            try
            {
                // The engine frees the slot (and publishes the will) as for a network failure.
                _engine.Closed(c, now);
            }
            catch (Exception again)
            {
                _faults++;
                if (_log != null)
                {
                    try
                    {
                        _log.Faulted(c, again);
                    }
                    catch (Exception)
                    {
                    }
                }
            }
        }

        /// <summary>Bytes handed to the engine, 0 when there was nothing to read (or no room), -1 when the peer is gone.</summary>
        private int Read(int c, Socket s, long now)
        {
            if (_readiness != null)
            {
                if (_wantsRead[c])
                {
                    if (!_readable[c])
                    {
                        // Nothing arrived since the last look.
                        return 0;
                    }

                    _readable[c] = false;
                }
                else if (!_recheck[c])
                {
                    // The engine had no room for it and nothing has changed that since (its socket is not watched).
                    return 0;
                }
                else
                {
                    // A held connection is asked whatever the platform says, as its socket was not watched for reading.
                    _recheck[c] = false;
                }
            }

            int offset;
            int free;
            byte[] buffer = _engine.ReceiveBuffer(c, out offset, out free);
            _wantsRead[c] = free > 0;
            if (free == 0)
            {
                // Back-pressure: the engine waits for its transmit side; the bytes stay in the socket meanwhile.
                return 0;
            }

            int n;
            if (s == null)
            {
                // A descriptor: one non-blocking recv says all (bytes, nothing now, or closed / failed).
                n = _fdPlatform.Receive(_fds[c], buffer, offset, free);
                if (n <= 0)
                {
                    return n;
                }
            }
            else
            {
                int available = s.Available;
                if (available == 0)
                {
                    // Readable with nothing to read is how a closed (or reset) connection shows itself.
                    if (!s.Poll(0, SelectMode.SelectRead))
                    {
                        return 0;
                    }

                    available = s.Available;
                    if (available == 0)
                    {
                        return -1;
                    }
                }

                n = s.Receive(buffer, offset, available < free ? available : free, SocketFlags.None);
                if (n <= 0)
                {
                    return -1;
                }
            }

            _engine.Received(c, n, now);
            return n;
        }

        private bool Write(int c, Socket s)
        {
            bool wrote = false;
            _wantsWrite[c] = false;
            for (int i = 0; i < ChunksPerVisit; i++)
            {
                byte[] buffer;
                int offset;
                int pending = _engine.PendingOutput(c, out buffer, out offset);
                if (pending == 0)
                {
                    break;
                }

                // A descriptor's failed send throws SocketException, as the PC's socket platforms do.
                int sent = s != null ? _platform.Send(s, buffer, offset, pending) : _fdPlatform.Send(_fds[c], buffer, offset, pending);
                if (sent <= 0)
                {
                    _wantsWrite[c] = true;
                    break;
                }

                _engine.Sent(c, sent);
                wrote = true;
                if (_recheck != null)
                {
                    // Its transmit side drained: replies it was waiting to make may now let it read.
                    _recheck[c] = true;
                }

            }

            return wrote;
        }

        /// <summary>The engine is done with the connection: flush what it still has (bounded in time), then close.</summary>
        private bool Closing(int c, Socket s, long now)
        {
            if (_closeBy[c] == 0)
            {
                _closeBy[c] = now + CloseFlushMs;
            }

            if (_draining[c])
            {
                return Drain(c, s, now);
            }

            bool wrote = Write(c, s);
            byte[] buffer;
            int offset;
            if (_engine.PendingOutput(c, out buffer, out offset) > 0 && now < _closeBy[c])
            {
                return wrote;
            }

            // An orderly end: FIN after the last packet, then wait for the peer's own close while discarding what it
            // still sends (say the rest of a packet over the size limit), so the client sees a close, not a reset.
            if (s != null ? _platform.HalfClose(s) : _fdPlatform.HalfClose(_fds[c]))
            {
                _draining[c] = true;
                // The idle wait must wake for the peer's remaining bytes and its close.
                _wantsRead[c] = true;
                _closeBy[c] = now + CloseDrainMs;
                return true;
            }

            Release(c, now);
            return true;
        }

        /// <summary>Reads and discards until the peer closes (readable with nothing to read) or the deadline passes.</summary>
        private bool Drain(int c, Socket s, long now)
        {
            for (int i = 0; s == null && i < DrainReadsPerVisit; i++)
            {
                int n = _fdPlatform.Receive(_fds[c], _drain, 0, _drain.Length);
                if (n < 0)
                {
                    Release(c, now);
                    return true;
                }

                if (n == 0)
                {
                    break;
                }
            }

            for (int i = 0; s != null && i < DrainReadsPerVisit; i++)
            {
                int available = s.Available;
                if (available == 0)
                {
                    if (s.Poll(0, SelectMode.SelectRead) && s.Available == 0)
                    {
                        Release(c, now);
                        return true;
                    }

                    break;
                }

                if (s.Receive(_drain, 0, available < _drain.Length ? available : _drain.Length, SocketFlags.None) <= 0)
                {
                    Release(c, now);
                    return true;
                }
            }

            if (now >= _closeBy[c])
            {
                Release(c, now);
                return true;
            }

            return false;
        }

        private void Drop(int c, int socketError, long now)
        {
            if (_log != null)
            {
                _log.Failed(c, socketError);
            }

            Release(c, now);
        }

        private void Release(int c, long now)
        {
            CloseSlot(c);
            Narrow();
            _closeBy[c] = 0;
            _draining[c] = false;
            _wantsWrite[c] = false;
            _listenerOpen[_listenerOf[c]]--;
            _open--;
            _engine.Closed(c, now);
        }

        /// <summary>A slot was emptied: the span ends after the highest slot still open.</summary>
        private void Narrow()
        {
            while (_span > 0 && !Held(_span - 1))
            {
                _span--;
            }
        }

        // ---- Shutting down ---------------------------------------------------------------------------

        /// <summary>
        /// Closes the listener and every socket. The engine is not told: the broker is going away with it, and
        /// like Mosquitto it publishes no wills for clients it disconnects itself.
        /// </summary>
        private void Shutdown()
        {
            for (int b = 0; b < _bridgeCount; b++)
            {
                _bridges[b].Close();
            }

            for (int l = 0; l < _listenerCount; l++)
            {
                if (_listeners[l] != null)
                {
                    Quiet.Close(_listeners[l], _drain);
                    _listeners[l] = null;
                }
            }

            for (int c = 0; c < _sockets.Length; c++)
            {
                if (Held(c))
                {
                    CloseSlot(c);
                    _open--;
                }
            }

            _overflow.CloseAll();
        }
    }
}
