using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// hardware/Log.cs is static, as on the board (one program, one log): the tests that point it at a syslog collector
    /// or a log topic run alone, so no other test's line lands in what they receive.
    /// </summary>
    [CollectionDefinition("hardware log", DisableParallelization = true)]
    public sealed class LogCollection
    {
    }
}
