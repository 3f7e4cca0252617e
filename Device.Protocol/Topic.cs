namespace Device.Protocol
{
    /// <summary>
    /// Topic names, topic filters and matching (4.7), over UTF-8 bytes. '/', '+', '#' and '$' are ASCII and
    /// UTF-8 continuation bytes are always >= 0x80, so scanning bytes for them is exact without decoding.
    /// </summary>
    public static class Topic
    {
        public const byte Separator = (byte)'/';
        public const byte SingleLevel = (byte)'+';
        public const byte MultiLevel = (byte)'#';
        public const byte SystemPrefix = (byte)'$';

        /// <summary>Levels of a topic name or filter: one more than its '/' separators ("a//b" has three).</summary>
        public static int LevelCount(byte[] b, int off, int len)
        {
            int n = 1;
            for (int i = off; i < off + len; i++)
            {
                if (b[i] == Separator)
                {
                    n++;
                }
            }

            return n;
        }

        /// <summary>A topic name as PUBLISH and the will carry it: non-empty, no wildcard, valid UTF-8.</summary>
        public static DecodeResult ValidateName(byte[] b, int off, int len)
        {
            if (len == 0)
            {
                return DecodeResult.EmptyTopic;
            }

            // One pass for wildcards and UTF-8 together: topics are validated for every message.
            int end = off + len;
            int i = off;
            while (i < end)
            {
                int c = b[i];
                if (c < 0x80)
                {
                    if (c == SingleLevel || c == MultiLevel)
                    {
                        return DecodeResult.WildcardInTopicName;
                    }

                    if (c == 0)
                    {
                        return DecodeResult.Utf8NullCharacter;
                    }

                    i++;
                    continue;
                }

                DecodeResult error;
                int n = Utf8.MultiByte(b, i, end, out error);
                if (n == 0)
                {
                    return error;
                }

                i += n;
            }

            return DecodeResult.Ok;
        }

        /// <summary>
        /// A topic filter as SUBSCRIBE and UNSUBSCRIBE carry it: non-empty, '#' alone in the last level
        /// ([MQTT-4.7.1-2]), '+' alone in its level ([MQTT-4.7.1-3]), valid UTF-8.
        /// </summary>
        public static DecodeResult ValidateFilter(byte[] b, int off, int len)
        {
            if (len == 0)
            {
                return DecodeResult.EmptyTopic;
            }

            int end = off + len;
            int i = off;
            while (i < end)
            {
                int c = b[i];
                if (c >= 0x80)
                {
                    DecodeResult error;
                    int n = Utf8.MultiByte(b, i, end, out error);
                    if (n == 0)
                    {
                        return error;
                    }

                    i += n;
                    continue;
                }

                if (c == 0)
                {
                    return DecodeResult.Utf8NullCharacter;
                }

                if (c == SingleLevel || c == MultiLevel)
                {
                    bool startsLevel = i == off || b[i - 1] == Separator;
                    bool endsLevel = i == end - 1 || b[i + 1] == Separator;
                    if (!startsLevel || !endsLevel || (c == MultiLevel && i != end - 1))
                    {
                        return DecodeResult.InvalidTopicFilter;
                    }
                }

                i++;
            }

            return DecodeResult.Ok;
        }

        /// <summary>
        /// Whether a valid filter matches a valid topic name. "a/#" also matches "a" ([MQTT-4.7.1-2]), '+'
        /// matches an empty level, and a filter starting with a wildcard does not match a topic starting with
        /// '$' ([MQTT-4.7.2-1]).
        /// </summary>
        public static bool Matches(byte[] filter, int fOff, int fLen, byte[] topic, int tOff, int tLen)
        {
            if (fLen == 0 || tLen == 0)
            {
                return false;
            }

            if (topic[tOff] == SystemPrefix && (filter[fOff] == SingleLevel || filter[fOff] == MultiLevel))
            {
                return false;
            }

            int f = fOff;
            int fEnd = fOff + fLen;
            int t = tOff;
            int tEnd = tOff + tLen;

            // Each round starts both cursors at the beginning of a level.
            while (true)
            {
                if (f < fEnd && filter[f] == MultiLevel)
                {
                    return true;
                }

                if (f < fEnd && filter[f] == SingleLevel)
                {
                    f++;
                    while (t < tEnd && topic[t] != Separator)
                    {
                        t++;
                    }
                }
                else
                {
                    while (f < fEnd && filter[f] != Separator)
                    {
                        if (t >= tEnd || topic[t] != filter[f])
                        {
                            return false;
                        }

                        f++;
                        t++;
                    }

                    if (t < tEnd && topic[t] != Separator)
                    {
                        return false;
                    }
                }

                if (f == fEnd)
                {
                    return t == tEnd;
                }

                if (t == tEnd)
                {
                    // The topic ran out of levels: only a trailing "/#" still matches (its parent level).
                    return f + 2 == fEnd && filter[f + 1] == MultiLevel;
                }

                f++;
                t++;
            }
        }
    }
}
