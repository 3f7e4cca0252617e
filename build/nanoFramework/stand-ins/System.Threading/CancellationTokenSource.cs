namespace System.Threading
{
    /// <summary>
    /// Stand-in of nanoFramework's CancellationTokenSource: the timed constructor bounds the blocking Wi-Fi
    /// calls, Dispose releases the timer behind it.
    /// </summary>
    public class CancellationTokenSource : IDisposable
    {
        public CancellationTokenSource(int millisecondsDelay)
        {
            throw new NotSupportedException("compile-only stand-in");
        }

        public CancellationToken Token { get { throw new NotSupportedException("compile-only stand-in"); } }

        public void Dispose()
        {
            throw new NotSupportedException("compile-only stand-in");
        }
    }
}
