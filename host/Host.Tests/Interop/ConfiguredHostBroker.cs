using System;

namespace Host.Tests
{
    /// <summary>The host broker program with a config file of the test's own (and files written next to it).</summary>
    public sealed class ConfiguredHostBroker : HostBroker
    {
        public ConfiguredHostBroker(string configLines, Action<string> prepare)
            : base(configLines, prepare)
        {
        }
    }
}
