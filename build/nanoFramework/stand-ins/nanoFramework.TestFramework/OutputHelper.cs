namespace nanoFramework.TestFramework
{
    /// <summary>Test output (real: source/TestFramework/OutputHelper.cs).</summary>
    public static class OutputHelper
    {
        public static void Write(string message)
        {
            System.Console.Write(message);
        }

        public static void WriteLine(string message)
        {
            System.Console.WriteLine(message);
        }
    }
}
