namespace Device.Broker
{
    /// <summary>
    /// Reads the text form of Mosquitto's acl_file (the subset this engine enforces) into an <see cref="Acl"/>:
    /// <code>
    /// # comment
    /// topic [read|write|readwrite|deny] TOPIC     (before any user line: clients without a user name)
    /// user NAME
    /// topic [read|write|readwrite|deny] TOPIC     (after a user line: that user)
    /// pattern [read|write|readwrite|deny] TOPIC   (every client; %c = client id, %u = user name)
    /// </code>
    /// The access word is optional (readwrite), as in Mosquitto. Set-up time only: it allocates strings.
    /// </summary>
    public static class AclFile
    {
        /// <summary>
        /// Adds every rule of text to acl. Returns 0 on success, otherwise the 1-based number of the first line
        /// that is not understood or does not fit (the rules before it stay added).
        /// </summary>
        public static int Load(Acl acl, string text)
        {
            string[] lines = text.Split('\n');
            string user = null;
            for (int n = 0; n < lines.Length; n++)
            {
                string line = lines[n].Trim();
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }

                string keyword = FirstWord(line);
                string rest = line.Substring(keyword.Length).Trim();
                if (keyword == "user")
                {
                    if (rest.Length == 0)
                    {
                        return n + 1;
                    }

                    user = rest;
                    continue;
                }

                if (keyword != "topic" && keyword != "pattern")
                {
                    return n + 1;
                }

                byte access = Acl.ReadWrite;
                string word = FirstWord(rest);
                int parsed = ParseAccess(word);
                // A lone word is the topic itself (Mosquitto: the access word is optional).
                if (parsed >= 0 && rest.Length > word.Length)
                {
                    access = (byte)parsed;
                    rest = rest.Substring(word.Length).Trim();
                }

                if (rest.Length == 0)
                {
                    return n + 1;
                }

                bool ok = keyword == "topic" ? acl.AddTopic(user, access, rest) : acl.AddPattern(access, rest);
                if (!ok)
                {
                    return n + 1;
                }
            }

            return 0;
        }

        private static string FirstWord(string s)
        {
            int i = 0;
            while (i < s.Length && s[i] != ' ' && s[i] != '\t')
            {
                i++;
            }

            return s.Substring(0, i);
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
