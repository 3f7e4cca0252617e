using System;

namespace Device.Hardware
{
    /// <summary>
    /// One line per event. Always on the console (Console, not Debug: nanoFramework compiles Debug.WriteLine out of
    /// Release builds), which reaches Visual Studio's debugger only while it is attached; and, when the settings file
    /// asks for them, to a UDP syslog collector (<see cref="SyslogTarget"/>) and on the broker's own log topic
    /// (<see cref="LogTopic"/>), so a deployed board can be followed from any PC. <see cref="Level"/> (the file's
    /// "logLevel") decides which lines are written at all.
    /// </summary>
    internal static class Log
    {
        public static int Level = LogLevel.Info;

        public static SyslogTarget Syslog;

        public static LogTopic Topic;

        public static void Line(string text)
        {
            Write(LogLevel.Info, text);
        }

        public static void Warning(string text)
        {
            Write(LogLevel.Warning, text);
        }

        public static void Debug(string text)
        {
            Write(LogLevel.Debug, text);
        }

        public static void Error(string what, Exception ex)
        {
            // The type and message only: a stack trace costs heap the broker may be short of at that moment.
            Write(LogLevel.Error, what + ": " + ex.GetType().Name + ": " + ex.Message);
        }

        public static void Write(int level, string text)
        {
            if (level > Level)
            {
                return;
            }

            Console.WriteLine(text);
            SyslogTarget syslog = Syslog;
            if (syslog != null)
            {
                syslog.Send(level, text);
            }

            LogTopic topic = Topic;
            if (topic != null)
            {
                topic.Add(level, text);
            }
        }

        /// <summary>Publishes the lines waiting for the log topic; the broker loop calls it between two passes.</summary>
        public static void FlushTopic()
        {
            LogTopic topic = Topic;
            if (topic != null)
            {
                topic.Flush();
            }
        }
    }
}
