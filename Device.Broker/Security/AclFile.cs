using Device.Protocol;

namespace Device.Broker
{
    /// <summary>
    /// Reads Mosquitto's acl_file (the subset this engine enforces) into an <see cref="Acl"/>, on the board and
    /// on the PC alike (the host program only reports what this returns):
    /// <code>
    /// # comment
    /// topic [read|write|readwrite|deny] TOPIC     (before any user line: clients without a user name)
    /// user NAME
    /// topic [read|write|readwrite|deny] TOPIC     (after a user line: that user)
    /// pattern [read|write|readwrite|deny] TOPIC   (every client; %c = client id, %u = user name)
    /// </code>
    /// As in Mosquitto, the access word is optional (readwrite), a single word after "topic" is the topic itself,
    /// and the topic is the rest of the line, spaces included. Loading a file turns the ACL on even when the file
    /// holds no rule: an acl_file means deny unless allowed. Set-up time only: it allocates strings.
    /// </summary>
    public static class AclFile
    {
        /// <summary>
        /// Adds every good rule of <paramref name="text"/> to <paramref name="acl"/>; each bad line goes to
        /// <paramref name="errors"/> (may be null) with its 1-based number and the reason. True when every line was taken.
        /// </summary>
        public static bool Load(Acl acl, string text, System.Collections.ArrayList errors)
        {
            acl.Enable();
            bool ok = true;
            string[] lines = TextLines.Split(text);
            string user = null;
            for (int n = 0; n < lines.Length; n++)
            {
                string line = lines[n].Trim();
                if (TextLines.Skipped(line))
                {
                    continue;
                }

                string keyword = TextLines.FirstWord(line);
                string rest = line.Substring(keyword.Length).Trim();
                string reason;
                if (keyword == "user")
                {
                    reason = rest.Length == 0 ? "user needs a name" : null;
                    user = rest;
                }
                else if (keyword == "topic" || keyword == "pattern")
                {
                    reason = Rule(acl, keyword == "pattern", user, rest);
                }
                else
                {
                    reason = "unknown keyword '" + keyword + "' (expected user, topic or pattern)";
                }

                if (reason != null)
                {
                    ok = false;
                    TextLines.Add(errors, n + 1, reason);
                }
            }

            return ok;
        }

        /// <summary>As <see cref="Load(Acl, string, System.Collections.ArrayList)"/>; 0 when every line was taken, else the first bad line's number.</summary>
        public static int Load(Acl acl, string text)
        {
            System.Collections.ArrayList errors = new System.Collections.ArrayList();
            return Load(acl, text, errors) ? 0 : ((LineError)errors[0]).Line;
        }

        private static string Rule(Acl acl, bool isPattern, string user, string rest)
        {
            string word = TextLines.FirstWord(rest);
            int access = ParseAccess(word);
            string topic = rest;
            if (access >= 0)
            {
                topic = rest.Substring(word.Length).Trim();
            }
            else
            {
                access = Acl.ReadWrite;
            }

            if (topic.Length == 0)
            {
                return (isPattern ? "pattern" : "topic") + " needs a topic filter";
            }

            string reason = CheckFilter(topic);
            if (reason != null)
            {
                return reason;
            }

            bool added = isPattern ? acl.AddPattern((byte)access, topic) : acl.AddTopic(user, (byte)access, topic);
            return added ? null : "the rule does not fit the ACL's preallocated room (" + acl.Capacity.ToString() + " rules, "
                + acl.Bytes.ToString() + " bytes) or its topic is longer than 65535 bytes";
        }

        /// <summary>Null for a valid topic filter (MQTT 3.1.1 section 4.7: '+' fills a whole level, '#' only the last one), else why not.</summary>
        public static string CheckFilter(string filter)
        {
            byte[] b = new byte[Utf8.ByteCount(filter)];
            Utf8.Encode(filter, b, 0);
            DecodeResult r = Topic.ValidateFilter(b, 0, b.Length);
            if (r == DecodeResult.Ok)
            {
                return null;
            }

            for (int i = 0; i < b.Length; i++)
            {
                if (b[i] == 0)
                {
                    return "'" + filter + "' contains a NUL character";
                }
            }

            string[] levels = filter.Split('/');
            for (int i = 0; i < levels.Length; i++)
            {
                if (levels[i] == "#" && i != levels.Length - 1)
                {
                    return "'" + filter + "' is not a valid topic filter: '#' must be the last level";
                }
            }

            if (r == DecodeResult.InvalidTopicFilter)
            {
                return "'" + filter + "' is not a valid topic filter: a wildcard must fill a whole level";
            }

            return "'" + filter + "' is not a valid topic filter: not well-formed UTF-8";
        }

        private static int ParseAccess(string word)
        {
            if (word == "read")
            {
                return Acl.Read;
            }

            if (word == "write")
            {
                return Acl.Write;
            }

            if (word == "readwrite")
            {
                return Acl.ReadWrite;
            }

            if (word == "deny")
            {
                return Acl.Deny;
            }

            return -1;
        }
    }
}
