using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// Tests that take most of the process's file descriptors (ConnectionScaleTests) run alone, after the parallel
    /// ones, so neither they nor their neighbours meet EMFILE.
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class WholeMachine
    {
        public const string Name = "Whole machine (file descriptors)";
    }
}
