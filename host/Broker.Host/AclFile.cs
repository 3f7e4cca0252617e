using System.Collections.Generic;
using System.IO;
using System;

namespace Broker.Host
{
    public enum AclAccess
    {
        Read = 1,
        Write = 2,
        ReadWrite = 3,

        /// <summary>Mosquitto 2's "deny": a match refuses both directions, whatever a later line grants.</summary>
        Deny = 4,
    }

    /// <summary>One "topic" or "pattern" line of an ACL file.</summary>
    public sealed class AclRule
    {
        public AclRule(bool isPattern, string user, AclAccess access, string topic, int line)
        {
            IsPattern = isPattern;
            User = user;
            Access = access;
            Topic = topic;
            Line = line;
        }

        /// <summary>A pattern applies to every client, with %c and %u replaced by its client id and user name.</summary>
        public bool IsPattern { get; }

        /// <summary>The "user" line a topic rule follows; null for topic rules before any user line (anonymous clients) and for patterns.</summary>
        public string User { get; }

        public AclAccess Access { get; }

        public string Topic { get; }

        public int Line { get; }
    }

    /// <summary>
    /// A Mosquitto ACL file: "user NAME" starts a user's section, "topic [read|write|readwrite|deny] FILTER" grants
    /// (or denies) within it, "topic" lines before any "user" line are for anonymous clients, and
    /// "pattern [access] FILTER" applies to everyone with %c/%u substitution. As in Mosquitto, the filter is the
    /// rest of the line, so it may contain spaces; a missing access word means readwrite.
    /// </summary>
    public static class AclFile
    {
        public static List<AclRule> Load(string path)
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new FileErrorsException(new[] { new FileError(path, 0, "cannot read ACL file: " + e.Message) });
            }
            List<AclRule> rules = Parse(path, lines, out List<FileError> errors);
            if (errors.Count > 0)
            {
                throw new FileErrorsException(errors);
            }
            return rules;
        }

        public static List<AclRule> Parse(string name, string[] lines, out List<FileError> errors)
        {
            List<AclRule> rules = new List<AclRule>();
            errors = new List<FileError>();
            string user = null;
            for (int i = 0; i < lines.Length; i++)
            {
                string line = lines[i].Trim();
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }

                string keyword = FirstWord(line, out string rest);
                string reason;
                if (keyword == "user")
                {
                    reason = rest.Length == 0 ? "user needs a name" : null;
                    user = rest;
                }
                else if (keyword == "topic" || keyword == "pattern")
                {
                    reason = Rule(keyword == "pattern", user, rest, i + 1, rules);
                }
                else
                {
                    reason = "unknown keyword '" + keyword + "' (expected user, topic or pattern)";
                }
                if (reason != null)
                {
                    errors.Add(new FileError(name, i + 1, reason));
                }
            }
            return rules;
        }

        private static string Rule(bool isPattern, string user, string rest, int line, List<AclRule> rules)
        {
            string word = FirstWord(rest, out string filter);
            AclAccess access;
            switch (word)
            {
                case "read": access = AclAccess.Read; break;
                case "write": access = AclAccess.Write; break;
                case "readwrite": access = AclAccess.ReadWrite; break;
                case "deny": access = AclAccess.Deny; break;
                default:
                    // Mosquitto reads a single word after "topic" as the filter itself, with readwrite access.
                    access = AclAccess.ReadWrite;
                    filter = rest;
                    break;
            }
            if (filter.Length == 0)
            {
                return (isPattern ? "pattern" : "topic") + " needs a topic filter";
            }
            string reason = CheckFilter(filter);
            if (reason != null)
            {
                return reason;
            }
            rules.Add(new AclRule(isPattern, isPattern ? null : user, access, filter, line));
            return null;
        }

        /// <summary>MQTT 3.1.1 section 4.7: '+' fills a whole level, '#' only the last one.</summary>
        public static string CheckFilter(string filter)
        {
            string[] levels = filter.Split('/');
            for (int i = 0; i < levels.Length; i++)
            {
                string level = levels[i];
                if (level.IndexOf('\0') >= 0)
                {
                    return "'" + filter + "' contains a NUL character";
                }
                if ((level.IndexOf('+') >= 0 && level != "+") || (level.IndexOf('#') >= 0 && level != "#"))
                {
                    return "'" + filter + "' is not a valid topic filter: a wildcard must fill a whole level";
                }
                if (level == "#" && i != levels.Length - 1)
                {
                    return "'" + filter + "' is not a valid topic filter: '#' must be the last level";
                }
            }
            return null;
        }

        private static string FirstWord(string text, out string rest)
        {
            int space = text.IndexOfAny(new[] { ' ', '\t' });
            if (space < 0)
            {
                rest = "";
                return text;
            }
            rest = text.Substring(space + 1).Trim();
            return text.Substring(0, space);
        }
    }
}
