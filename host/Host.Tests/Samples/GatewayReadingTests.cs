using System.Text;
using Samples.Gateway;
using Xunit;

namespace Host.Tests
{
    /// <summary>samples/Gateway/Reading.cs (compiled here unchanged): a reading in tenths becomes its decimal text in place.</summary>
    public class GatewayReadingTests
    {
        [Theory]
        [InlineData(217, "21.7")]
        [InlineData(200, "20.0")]
        [InlineData(0, "0.0")]
        [InlineData(7, "0.7")]
        [InlineData(-5, "-0.5")]
        [InlineData(-123, "-12.3")]
        [InlineData(12345, "1234.5")]
        public void Tenths_are_written_as_decimal_text(int tenths, string text)
        {
            Reading reading = new Reading();
            int length = reading.Format(tenths);
            Assert.Equal(text, Encoding.ASCII.GetString(reading.Bytes, 0, length));
        }

        [Fact]
        public void Formatting_reuses_the_one_buffer()
        {
            Reading reading = new Reading();
            byte[] buffer = reading.Bytes;
            reading.Format(215);
            long before = System.GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++)
            {
                reading.Format(i);
            }

            Assert.Equal(0, System.GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.Same(buffer, reading.Bytes);
        }
    }
}
