using System;

namespace Device.Hardware
{
    /// <summary>
    /// One line per event on the debug output. Console, not Debug: nanoFramework compiles Debug.WriteLine out of
    /// Release builds, and a deployed broker still has to say where it is and how it is doing.
    /// </summary>
    internal static class Log
    {
        public static void Line(string text)
        {
            Console.WriteLine(text);
        }

        public static void Error(string what, Exception ex)
        {
            // The type and message only: a stack trace costs heap the broker may be short of at that moment.
            Console.WriteLine(what + ": " + ex.GetType().Name + ": " + ex.Message);
        }
    }
}
