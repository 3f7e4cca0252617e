namespace Device.Broker
{
    /// <summary>
    /// The seam between a transport (sockets on the board or the PC, the in-memory fake in tests) and the
    /// broker engine. The engine never calls out: the transport drives it from ONE thread and polls it.
    ///
    /// Per connection, in this order:
    /// 1. <c>c = Accept(now)</c> when the network accepted a connection; -1 means no slot: close the socket.
    /// 2. Reading: <c>buf = ReceiveBuffer(c, out off, out free)</c>, read at most <c>free</c> bytes from the socket
    ///    straight into <c>buf[off..]</c>, then <c>Received(c, n, now)</c>. While <c>free</c> is 0 the engine is
    ///    waiting for its transmit buffer to drain (back-pressure): stop reading that socket for now.
    /// 3. Writing: <c>n = PendingOutput(c, out buf, out off)</c>; send <c>buf[off..off+n)</c>, then <c>Sent(c, sent)</c>
    ///    with the bytes the socket took. The region stays valid until Sent; repeat while n > 0.
    /// 4. <c>WantsClose(c)</c> true: the engine is done with the connection (DISCONNECT, protocol violation,
    ///    refused CONNACK, takeover, timeout). Flush what PendingOutput still returns (best effort, bounded),
    ///    close the socket, then call <c>Closed(c, now)</c>.
    /// 5. The network failed or the peer closed first: close the socket and call <c>Closed(c, now)</c> (the engine
    ///    publishes the will). After Closed the handle is free and may come back from a later Accept.
    /// 6. A connection whose ReceiveBuffer had no room may get room without a call of its own (the engine took its
    ///    held PUBLISH while serving another): <c>TakeWoken()</c> names such connections, -1 when there are no more.
    ///    A transport may skip asking a roomless connection again until it is woken, it sent to it, or a Tick passed.
    /// 7. When <c>WakesForOutput</c> is true, TakeWoken also names every connection that got output outside its own
    ///    Received/Sent calls (routing, a retry, a queue pump) when it had none, and every one whose WantsClose turned
    ///    true (keep-alive, takeover, a stall cut). A transport that knows which sockets are ready (epoll) may then
    ///    visit only those, the woken ones and the ones it left with output, instead of every connection every pass.
    /// And <c>Tick(now)</c> regularly (every 100 ms to 1 s) for connect timeouts and keep-alive expiry.
    /// <c>now</c> is any monotonic clock in milliseconds. The transport closes sockets; the engine only asks.
    /// </summary>
    public interface IEngine
    {
        int Accept(long nowMs);

        byte[] ReceiveBuffer(int connection, out int offset, out int free);

        void Received(int connection, int count, long nowMs);

        int PendingOutput(int connection, out byte[] buffer, out int offset);

        void Sent(int connection, int count);

        bool WantsClose(int connection);

        void Closed(int connection, long nowMs);

        void Tick(long nowMs);

        int TakeWoken();

        bool WakesForOutput { get; }
    }
}
