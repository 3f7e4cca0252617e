using System;
using Broker.Host;
using Xunit;

namespace Host.Tests
{
    /// <summary>The PC broker's cap on the GC's young generation (issue 10): a collection once the budget is spent, none before.</summary>
    public class YoungGenerationTests
    {
        private static object _sink;

        [Fact]
        public void A_collection_is_asked_for_once_the_budget_is_allocated_and_not_before()
        {
            YoungGeneration young = new YoungGeneration(256 * 1024);
            young.Check();
            Assert.Equal(0, young.Collections);

            int gen0 = GC.CollectionCount(0);
            for (int i = 0; i < 64; i++)
            {
                // 64 x 8 KB of garbage: twice the budget.
                _sink = new byte[8 * 1024];
            }

            young.Check();
            Assert.Equal(1, young.Collections);
            Assert.True(GC.CollectionCount(0) > gen0, "a generation-0 collection ran");

            // Right after one, the budget starts again: nothing allocated, nothing asked for.
            young.Check();
            Assert.Equal(1, young.Collections);
            GC.KeepAlive(_sink);
        }
    }
}
