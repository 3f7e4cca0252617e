using System.Globalization;
using System;

namespace Broker.Host
{
    /// <summary>The value forms of mosquitto.conf: true/false, whole numbers with a range, durations, IPv4 addresses.</summary>
    public static class ConfigValues
    {
        public static string Bool(string option, string word, Action<bool> set)
        {
            // Mosquitto accepts exactly these two words.
            if (word == "true" || word == "false")
            {
                set(word == "true");
                return null;
            }

            return option + ": '" + word + "' is not true or false";
        }

        public static string Int(string option, string word, long min, long max, string hint, Action<long> set)
        {
            if (!long.TryParse(word, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n))
            {
                return option + ": '" + word + "' is not a whole number";
            }

            if (n < min || n > max)
            {
                return option + ": " + n + " is outside " + min + ".." + max + (hint.Length > 0 ? " " + hint : "");
            }

            set(n);
            return null;
        }

        /// <summary>
        /// persistent_client_expiration's form: a number and one of h, d, w, m, y (Mosquitto's conf.c: hours, days,
        /// weeks, months of 30 days, years of 365 days). Seconds out.
        /// </summary>
        public static string Duration(string option, string word, Action<long> set)
        {
            if (word.Length >= 2 && long.TryParse(word.Substring(0, word.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out long n) && n > 0)
            {
                long unit;
                switch (word[word.Length - 1])
                {
                    case 'h': unit = 3600; break;
                    case 'd': unit = 86400; break;
                    case 'w': unit = 7 * 86400; break;
                    case 'm': unit = 30 * 86400; break;
                    case 'y': unit = 365 * 86400; break;
                    default: unit = 0; break;
                }

                if (unit > 0 && n <= long.MaxValue / unit / 1000)
                {
                    set(n * unit);
                    return null;
                }
            }

            return option + ": '" + word + "' is not a duration (a positive number followed by h, d, w, m or y, e.g. 14d)";
        }

        /// <summary>Null when <paramref name="word"/> is an address the transport can bind (then passed to set), else why not.</summary>
        public static string Address(string word, Action<string> set)
        {
            // The board's System.Net takes IPv4 dotted quads only, and so does the shared transport.
            if (word == "localhost")
            {
                word = "127.0.0.1";
            }

            string[] parts = word.Split('.');
            if (parts.Length == 4 && Array.TrueForAll(parts, p => p.Length > 0 && p.Length <= 3
                && int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int b) && b <= 255))
            {
                set(word);
                return null;
            }

            return "'" + word + "' is not an IPv4 address (a.b.c.d or localhost): this broker listens on IPv4 only";
        }
    }
}
