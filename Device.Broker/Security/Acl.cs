using Device.Protocol;

namespace Device.Broker
{
    /// <summary>
    /// Topic access rules: the subset of Mosquitto's acl_file with `topic`, `user` and `pattern` lines and
    /// %c/%u substitution (see <see cref="AclFile"/> for the text form). Without an ACL file (and no rule added)
    /// the ACL is off and everything is allowed; once a file is loaded (<see cref="Enable"/>) or a rule added,
    /// what no rule grants is denied, even when the file holds no rule at all (Mosquitto does the same).
    ///
    /// Evaluation follows Mosquitto's acl check: first the client's own list (the rules after `user NAME`
    /// for a client with that user name, the rules before any `user` line for a client without one), deny
    /// rules before the others, first match decides; then the patterns, deny rules first, with %c and %u
    /// replaced by the client id and user name. A client id or user name containing '+' or '#' gets no
    /// pattern access (it could otherwise widen its own rule).
    ///
    /// Mosquitto leaves SUBSCRIBE to the per-message read check; this engine also answers SUBSCRIBE itself so
    /// the client learns of a refusal (SUBACK 0x80): a filter is allowed when a read rule covers every topic
    /// it can match and no deny rule does. Each message is still checked against the receiver's read rules.
    /// </summary>
    public sealed class Acl
    {
        public const byte Deny = 0;
        public const byte Read = 1;
        public const byte Write = 2;
        public const byte ReadWrite = 3;

        private const byte KindAnonymous = 0;
        private const byte KindUser = 1;
        private const byte KindPattern = 2;

        private readonly ByteArena _arena;
        private readonly short[] _topic;
        private readonly short[] _user;
        private readonly byte[] _access;
        private readonly byte[] _kind;
        private readonly byte[] _scratch;
        private int _count;
        private bool _enabled;

        public Acl(int maxRules, int bytes, int maxTopicLength)
        {
            _arena = new ByteArena(bytes, maxRules * 2);
            _topic = new short[maxRules];
            _user = new short[maxRules];
            _access = new byte[maxRules];
            _kind = new byte[maxRules];
            // An expanded pattern can only match a topic of at most maxTopicLength bytes if it is at most one
            // byte per topic byte plus one per level ('+' standing for an empty level).
            _scratch = new byte[maxTopicLength * 2 + 2];
        }

        internal static void Measure(Footprint f, int maxRules, int bytes, int maxTopicLength)
        {
            f.Object(8);
            ByteArena.Measure(f, bytes, maxRules * 2);
            f.Array(2, maxRules);
            f.Array(2, maxRules);
            f.Array(1, maxRules);
            f.Array(1, maxRules);
            f.Array(1, maxTopicLength * 2 + 2);
        }

        /// <summary>Whether access is checked at all: an ACL file was loaded or a rule added. Off, everything is allowed.</summary>
        public bool Enabled { get { return _enabled; } }

        /// <summary>An ACL file is configured: from now on what no rule grants is denied, even while there is no rule.</summary>
        public void Enable()
        {
            _enabled = true;
        }

        public int Count { get { return _count; } }

        /// <summary>Removes every rule (a reload then adds the new ones); the ACL stays enabled, so with none added it denies everything.</summary>
        public void Clear()
        {
            for (int i = 0; i < _count; i++)
            {
                _arena.Free(_topic[i]);
                if (_user[i] >= 0)
                {
                    _arena.Free(_user[i]);
                }
            }

            _count = 0;
        }

        public int Capacity { get { return _topic.Length; } }

        public int Bytes { get { return _arena.Capacity; } }

        /// <summary>A `topic` rule: for clients without a user name when user is null, else for that user.</summary>
        public bool AddTopic(string user, byte access, string topic)
        {
            return Add(user == null ? KindAnonymous : KindUser, user, access, topic);
        }

        /// <summary>A `pattern` rule, for every client, with %c and %u substituted.</summary>
        public bool AddPattern(byte access, string topic)
        {
            return Add(KindPattern, null, access, topic);
        }

        /// <summary>May the client of session s publish to this topic name?</summary>
        public bool CanPublish(SessionTable sessions, int s, byte[] topic, int topicOffset, int topicLength)
        {
            return Check(Write, false, sessions, s, topic, topicOffset, topicLength);
        }

        /// <summary>May the client of session s receive a message published to this topic name?</summary>
        public bool CanRead(SessionTable sessions, int s, byte[] topic, int topicOffset, int topicLength)
        {
            return Check(Read, false, sessions, s, topic, topicOffset, topicLength);
        }

        /// <summary>May the client of session s subscribe to this topic filter?</summary>
        public bool CanSubscribe(SessionTable sessions, int s, byte[] filter, int filterOffset, int filterLength)
        {
            return Check(Read, true, sessions, s, filter, filterOffset, filterLength);
        }

        private bool Check(byte access, bool isFilter, SessionTable sessions, int s, byte[] topic, int topicOffset, int topicLength)
        {
            if (!_enabled)
            {
                return true;
            }

            // The broker's own bridge is part of the broker (Mosquitto's acl__check_default: `if(context->bridge)
            // return MOSQ_ERR_SUCCESS;`): read from the user slot the check reads anyway, so no extra call per message.
            int userState = sessions.UserState(s);
            if (userState == SessionTable.BridgeUser)
            {
                return true;
            }

            // The identity the rules are matched against: the session's client id and user name.
            byte[] id = sessions.Ids;
            int idOffset = sessions.IdOffset(s);
            int idLength = sessions.IdLength(s);
            bool hasUser = userState >= 0;
            byte[] user = sessions.Users;
            int userOffset = sessions.UserOffset(s);
            int userLength = sessions.UserLength(s);

            // The client's own list: deny rules first, then grants, first match decides.
            for (int pass = 0; pass < 2; pass++)
            {
                for (int i = 0; i < _count; i++)
                {
                    if ((_access[i] == Deny) != (pass == 0) || !OwnRule(i, hasUser, user, userOffset, userLength))
                    {
                        continue;
                    }

                    int h = _topic[i];
                    if (RuleMatches(_arena.Data, _arena.Offset(h), _arena.Length(h), isFilter, topic, topicOffset, topicLength))
                    {
                        if (_access[i] == Deny)
                        {
                            return false;
                        }

                        if ((_access[i] & access) != 0)
                        {
                            return true;
                        }
                    }
                }
            }

            if (!HasPatterns())
            {
                return false;
            }

            if (Contains(id, idOffset, idLength) || (hasUser && Contains(user, userOffset, userLength)))
            {
                return false;
            }

            for (int pass = 0; pass < 2; pass++)
            {
                for (int i = 0; i < _count; i++)
                {
                    if (_kind[i] != KindPattern || (_access[i] == Deny) != (pass == 0))
                    {
                        continue;
                    }

                    int n = Expand(_topic[i], id, idOffset, idLength, hasUser, user, userOffset, userLength);
                    if (n < 0 || !RuleMatches(_scratch, 0, n, isFilter, topic, topicOffset, topicLength))
                    {
                        continue;
                    }

                    if (_access[i] == Deny)
                    {
                        return false;
                    }

                    if ((_access[i] & access) != 0)
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private bool OwnRule(int i, bool hasUser, byte[] user, int userOffset, int userLength)
        {
            if (_kind[i] == KindAnonymous)
            {
                return !hasUser;
            }

            if (_kind[i] != KindUser || !hasUser)
            {
                return false;
            }

            int u = _user[i];
            return _arena.Length(u) == userLength && Utf8.Equals(_arena.Data, _arena.Offset(u), userLength, user, userOffset, userLength);
        }

        private bool HasPatterns()
        {
            for (int i = 0; i < _count; i++)
            {
                if (_kind[i] == KindPattern)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Writes the pattern with %c and %u replaced into the scratch buffer; its length, or -1 when it does
        /// not fit or needs a user name the client does not have (Mosquitto skips such patterns too).
        /// </summary>
        private int Expand(int h, byte[] id, int idOffset, int idLength, bool hasUser, byte[] user, int userOffset, int userLength)
        {
            byte[] d = _arena.Data;
            int p = _arena.Offset(h);
            int end = p + _arena.Length(h);
            int n = 0;
            while (p < end)
            {
                if (d[p] == (byte)'%' && p + 1 < end && (d[p + 1] == (byte)'c' || d[p + 1] == (byte)'u'))
                {
                    bool isClient = d[p + 1] == (byte)'c';
                    if (!isClient && !hasUser)
                    {
                        return -1;
                    }

                    int len = isClient ? idLength : userLength;
                    if (n + len > _scratch.Length)
                    {
                        return -1;
                    }

                    System.Array.Copy(isClient ? id : user, isClient ? idOffset : userOffset, _scratch, n, len);
                    n += len;
                    p += 2;
                    continue;
                }

                if (n >= _scratch.Length)
                {
                    return -1;
                }

                _scratch[n++] = d[p++];
            }

            return n;
        }

        /// <summary>For a topic: the rule matches it. For a filter: the rule covers every topic the filter can match.</summary>
        private static bool RuleMatches(byte[] rule, int ruleOffset, int ruleLength, bool isFilter, byte[] topic, int topicOffset, int topicLength)
        {
            if (ruleLength == 0)
            {
                return false;
            }

            return isFilter
                ? Covers(rule, ruleOffset, ruleLength, topic, topicOffset, topicLength)
                : Topic.Matches(rule, ruleOffset, ruleLength, topic, topicOffset, topicLength);
        }

        /// <summary>
        /// Whether every topic name that filter f matches is also matched by rule r (both valid filters).
        /// Level by level: '#' in the rule covers the rest; '+' in the rule covers any single level of the
        /// filter but not its '#'; a literal covers only the same literal.
        /// </summary>
        public static bool Covers(byte[] r, int rOff, int rLen, byte[] f, int fOff, int fLen)
        {
            // A filter starting with a wildcard matches no '$' topic, so only its literal first level matters.
            bool ruleWild = r[rOff] == Topic.SingleLevel || r[rOff] == Topic.MultiLevel;
            if (ruleWild && f[fOff] == Topic.SystemPrefix)
            {
                return false;
            }

            int i = rOff;
            int rEnd = rOff + rLen;
            int j = fOff;
            int fEnd = fOff + fLen;
            while (true)
            {
                if (i < rEnd && r[i] == Topic.MultiLevel)
                {
                    return true;
                }

                if (j < fEnd && f[j] == Topic.MultiLevel)
                {
                    // The filter's '#' also matches the parent level and any depth: only a rule '#' covers that.
                    return false;
                }

                if (i < rEnd && r[i] == Topic.SingleLevel)
                {
                    i++;
                    while (j < fEnd && f[j] != Topic.Separator)
                    {
                        j++;
                    }
                }
                else
                {
                    if (j < fEnd && f[j] == Topic.SingleLevel)
                    {
                        return false;
                    }

                    while (i < rEnd && r[i] != Topic.Separator)
                    {
                        if (j >= fEnd || f[j] != r[i])
                        {
                            return false;
                        }

                        i++;
                        j++;
                    }

                    if (j < fEnd && f[j] != Topic.Separator)
                    {
                        return false;
                    }
                }

                if (i >= rEnd)
                {
                    return j >= fEnd;
                }

                if (j >= fEnd)
                {
                    // The filter ended a level early: only a trailing "/#" in the rule still covers it.
                    return i + 2 == rEnd && r[i + 1] == Topic.MultiLevel;
                }

                i++;
                j++;
            }
        }

        private static bool Contains(byte[] b, int offset, int length)
        {
            for (int i = offset; i < offset + length; i++)
            {
                if (b[i] == Topic.SingleLevel || b[i] == Topic.MultiLevel)
                {
                    return true;
                }
            }

            return false;
        }

        private bool Add(byte kind, string user, byte access, string topic)
        {
            _enabled = true;
            if (_count >= _topic.Length || access > ReadWrite || topic == null || topic.Length == 0)
            {
                return false;
            }

            int t = _arena.Alloc(Utf8.ByteCount(topic));
            if (t < 0)
            {
                return false;
            }

            Utf8.Encode(topic, _arena.Data, _arena.Offset(t));
            if (Topic.ValidateFilter(_arena.Data, _arena.Offset(t), _arena.Length(t)) != DecodeResult.Ok)
            {
                _arena.Free(t);
                return false;
            }

            int u = -1;
            if (kind == KindUser)
            {
                u = _arena.Alloc(Utf8.ByteCount(user));
                if (u < 0)
                {
                    _arena.Free(t);
                    return false;
                }

                Utf8.Encode(user, _arena.Data, _arena.Offset(u));
            }

            _topic[_count] = (short)t;
            _user[_count] = (short)u;
            _access[_count] = access;
            _kind[_count] = kind;
            _count++;
            return true;
        }
    }
}
