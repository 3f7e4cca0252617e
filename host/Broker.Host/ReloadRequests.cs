using System.Threading;
using System;

namespace Broker.Host
{
    /// <summary>
    /// Where reload requests come from (SIGHUP in Program.Main, or a test): any thread may <see cref="Raise"/>; the
    /// running broker's <see cref="SecurityReload"/> listens.
    /// </summary>
    public sealed class ReloadRequests
    {
        private Action _handler;

        /// <summary>Set by the broker once it runs; null again when it stops.</summary>
        public Action Handler
        {
            get { return Volatile.Read(ref _handler); }
            set { Volatile.Write(ref _handler, value); }
        }

        public void Raise()
        {
            Handler?.Invoke();
        }
    }
}
