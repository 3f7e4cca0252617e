namespace Device.Broker
{
    /// <summary>Helpers shared by the two file readers (<see cref="AclFile"/>, <see cref="UsersFile"/>): set-up time only.</summary>
    internal static class TextLines
    {
        /// <summary>The lines of a file, with '\r' of Windows line ends removed by the caller's Trim.</summary>
        public static string[] Split(string text)
        {
            return text == null ? new string[0] : text.Split('\n');
        }

        /// <summary>A blank line or a '#' comment, which both files skip.</summary>
        public static bool Skipped(string trimmed)
        {
            return trimmed.Length == 0 || trimmed[0] == '#';
        }

        /// <summary>The text up to the first space or tab.</summary>
        public static string FirstWord(string s)
        {
            int i = 0;
            while (i < s.Length && s[i] != ' ' && s[i] != '\t')
            {
                i++;
            }

            return s.Substring(0, i);
        }

        public static void Add(System.Collections.ArrayList errors, int line, string reason)
        {
            if (errors != null)
            {
                errors.Add(new LineError(line, reason));
            }
        }
    }
}
