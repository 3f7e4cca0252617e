using System;
using Device.Broker;

namespace Host.Tests
{
    /// <summary>
    /// A fault injector between the transport and the engine: it forwards every call, and after the engine has taken
    /// bytes from the connected client whose id is <see cref="PoisonId"/> it throws, as a bug in a handler would.
    /// </summary>
    public sealed class FaultyEngine : IEngine
    {
        public const string PoisonId = "poison";

        private readonly BrokerEngine _engine;

        public FaultyEngine(BrokerEngine engine)
        {
            _engine = engine;
        }

        public int Thrown { get; private set; }

        public int Accept(long nowMs) => _engine.Accept(nowMs);

        public byte[] ReceiveBuffer(int connection, out int offset, out int free) => _engine.ReceiveBuffer(connection, out offset, out free);

        public void Received(int connection, int count, long nowMs)
        {
            _engine.Received(connection, count, nowMs);
            int s = _engine.SessionOf(connection);
            if (s >= 0 && System.Text.Encoding.UTF8.GetString(_engine.Sessions.Ids, _engine.Sessions.IdOffset(s), _engine.Sessions.IdLength(s)) == PoisonId)
            {
                Thrown++;
                throw new InvalidOperationException("injected fault while serving " + PoisonId);
            }
        }

        public int PendingOutput(int connection, out byte[] buffer, out int offset) => _engine.PendingOutput(connection, out buffer, out offset);

        public void Sent(int connection, int count) => _engine.Sent(connection, count);

        public bool WantsClose(int connection) => _engine.WantsClose(connection);

        public void Closed(int connection, long nowMs) => _engine.Closed(connection, nowMs);

        public void Tick(long nowMs) => _engine.Tick(nowMs);

        public int TakeWoken() => _engine.TakeWoken();

        public bool WakesForOutput => _engine.WakesForOutput;
    }
}
