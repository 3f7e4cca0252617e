namespace Device.Hardware
{
    /// <summary>
    /// Reads the settings file: one JSON object whose values are strings, integers, true/false or null, plus the one
    /// nested object "bridge" (with its list of strings "topics"). Other nested objects, arrays and fractions are
    /// refused rather than half-understood. Malformed text is a
    /// returned message ("line 3: ..."), never an exception: the caller falls back to defaults and says why.
    /// </summary>
    internal sealed class SettingsJson
    {
        public const int KindString = 1;
        public const int KindNumber = 2;
        public const int KindBool = 3;
        public const int KindNull = 4;

        // The file as UTF-16 code units. Read through ToCharArray, never the string's indexer: nanoCLR keeps strings as
        // UTF-8 and its indexer returns the high surrogate at both positions of a supplementary character, so a value
        // copied unit by unit from the string would lose the low one (a Wi-Fi password with an emoji; docs/PLATFORM.md).
        private readonly char[] _text;
        private int _pos;

        // The value just read: kind, and text or number.
        private int _kind;
        private string _string;
        private int _number;

        private SettingsJson(string text)
        {
            _text = text.ToCharArray();
        }

        /// <summary>Applies every key of <paramref name="text"/> to <paramref name="settings"/>; null, or what is wrong.</summary>
        public static string Parse(string text, Settings settings)
        {
            SettingsJson p = new SettingsJson(text);
            string error = p.ParseObject(settings);
            return error == null ? null : "line " + p.Line() + ": " + error;
        }

        private string ParseObject(Settings settings)
        {
            // Editors on Windows like to start UTF-8 files with a byte order mark.
            if (_text.Length > 0 && _text[0] == '\uFEFF')
            {
                _pos = 1;
            }

            SkipSpace();
            if (Peek() != '{')
            {
                return "expected '{' at the start";
            }

            string error = ParseMembers(settings, false);
            if (error != null)
            {
                return error;
            }

            SkipSpace();
            return _pos == _text.Length ? null : "unexpected text after the closing '}'";
        }

        /// <summary>
        /// The members of one object, from its '{' to its '}'. Top level, or (bridge true) the one nested object the
        /// file may hold, "bridge" (hardware/SettingsBridge.cs), whose "topics" is the one list of strings.
        /// </summary>
        private string ParseMembers(Settings settings, bool bridge)
        {
            _pos++; // the opening brace
            SkipSpace();
            if (!Take('}'))
            {
                while (true)
                {
                    SkipSpace();
                    if (Peek() != '"')
                    {
                        return "expected a quoted key";
                    }

                    string error = ReadString();
                    if (error != null)
                    {
                        return error;
                    }

                    string key = _string;
                    SkipSpace();
                    if (!Take(':'))
                    {
                        return "expected ':' after \"" + key + "\"";
                    }

                    SkipSpace();
                    if (!bridge && key == "bridge" && Peek() == '{')
                    {
                        settings.BeginBridge();
                        error = ParseMembers(settings, true);
                        if (error == null)
                        {
                            error = settings.EndBridge();
                        }
                    }
                    else if (bridge && (key == "topics" || key == "conflate") && Peek() == '[')
                    {
                        error = ReadList(settings, key);
                    }
                    else
                    {
                        error = ReadValue(key);

                        // null is how JSON says "not set": the default stays.
                        if (error == null && _kind != KindNull)
                        {
                            error = bridge ? settings.ApplyBridge(key, _string, _number, _kind) : settings.Apply(key, _string, _number, _kind);
                        }
                    }

                    if (error != null)
                    {
                        return error;
                    }

                    SkipSpace();
                    if (Take(','))
                    {
                        continue;
                    }

                    if (Take('}'))
                    {
                        break;
                    }

                    return "expected ',' or '}' after the value of \"" + key + "\"";
                }
            }

            return null;
        }

        /// <summary>The bridge's "topics" (each one Mosquitto topic line) or "conflate" (each one filter): a list of strings.</summary>
        private string ReadList(Settings settings, string key)
        {
            _pos++; // the opening bracket
            SkipSpace();
            if (Take(']'))
            {
                return null;
            }

            while (true)
            {
                SkipSpace();
                if (Peek() != '"')
                {
                    return "\"bridge\".\"" + key + "\" must be a list of strings such as " + (key == "topics" ? "[\"sensors/# out 1\"]" : "[\"sensors/+/temp\"]");
                }

                string error = ReadString();
                if (error == null)
                {
                    error = settings.ApplyBridge(key, _string, 0, KindString);
                }

                if (error != null)
                {
                    return error;
                }

                SkipSpace();
                if (Take(','))
                {
                    continue;
                }

                if (Take(']'))
                {
                    return null;
                }

                return "expected ',' or ']' in \"bridge\".\"" + key + "\"";
            }
        }

        private string ReadValue(string key)
        {
            char c = Peek();
            _string = null;
            _number = 0;
            if (c == '"')
            {
                _kind = KindString;
                return ReadString();
            }

            if (c == '-' || (c >= '0' && c <= '9'))
            {
                _kind = KindNumber;
                return ReadNumber(key);
            }

            if (Word("true"))
            {
                _kind = KindBool;
                _number = 1;
                return null;
            }

            if (Word("false"))
            {
                _kind = KindBool;
                return null;
            }

            if (Word("null"))
            {
                _kind = KindNull;
                return null;
            }

            if (c == '{' || c == '[')
            {
                return "\"" + key + "\": nested objects and arrays are not settings";
            }

            return "\"" + key + "\": expected a string, a number, true, false or null";
        }

        private string ReadNumber(string key)
        {
            bool negative = Take('-');
            int start = _pos;
            long value = 0;
            while (_pos < _text.Length && _text[_pos] >= '0' && _text[_pos] <= '9')
            {
                value = value * 10 + (_text[_pos] - '0');
                if (value > int.MaxValue)
                {
                    return "\"" + key + "\": number too large";
                }

                _pos++;
            }

            if (_pos == start)
            {
                return "\"" + key + "\": expected digits";
            }

            char c = Peek();
            if (c == '.' || c == 'e' || c == 'E')
            {
                return "\"" + key + "\": only whole numbers are settings";
            }

            _number = negative ? (int)-value : (int)value;
            return null;
        }

        /// <summary>Reads a quoted string at the cursor into _string, resolving escapes.</summary>
        private string ReadString()
        {
            _pos++; // the opening quote
            char[] chars = new char[_text.Length - _pos];
            int n = 0;
            while (true)
            {
                if (_pos >= _text.Length)
                {
                    return "unterminated string";
                }

                char c = _text[_pos++];
                if (c == '"')
                {
                    break;
                }

                if (c < ' ')
                {
                    // Point the line number at the string, not past a raw line break inside it.
                    _pos--;
                    return "control character in a string (write \\n, \\t ...)";
                }

                if (c != '\\')
                {
                    chars[n++] = c;
                    continue;
                }

                if (_pos >= _text.Length)
                {
                    return "unterminated string";
                }

                c = _text[_pos++];
                switch (c)
                {
                    case '"': chars[n++] = '"'; break;
                    case '\\': chars[n++] = '\\'; break;
                    case '/': chars[n++] = '/'; break;
                    case 'b': chars[n++] = '\b'; break;
                    case 'f': chars[n++] = '\f'; break;
                    case 'n': chars[n++] = '\n'; break;
                    case 'r': chars[n++] = '\r'; break;
                    case 't': chars[n++] = '\t'; break;
                    case 'u':
                        int code = Hex4();
                        if (code < 0)
                        {
                            return "\\u needs four hex digits";
                        }

                        // Surrogate pairs arrive as two \u escapes, each a UTF-16 unit: copying units keeps them paired.
                        chars[n++] = (char)code;
                        break;
                    default:
                        return "unknown escape \\" + c;
                }
            }

            _string = new string(chars, 0, n);
            return null;
        }

        private int Hex4()
        {
            if (_pos + 4 > _text.Length)
            {
                return -1;
            }

            int v = 0;
            for (int i = 0; i < 4; i++)
            {
                char c = _text[_pos++];
                int d;
                if (c >= '0' && c <= '9')
                {
                    d = c - '0';
                }
                else if (c >= 'a' && c <= 'f')
                {
                    d = c - 'a' + 10;
                }
                else if (c >= 'A' && c <= 'F')
                {
                    d = c - 'A' + 10;
                }
                else
                {
                    return -1;
                }

                v = (v << 4) | d;
            }

            return v;
        }

        private bool Word(string word)
        {
            if (_pos + word.Length > _text.Length)
            {
                return false;
            }

            // The words are ASCII (true, false, null): comparing them unit by unit is exact.
            for (int i = 0; i < word.Length; i++)
            {
                if (_text[_pos + i] != word[i])
                {
                    return false;
                }
            }

            _pos += word.Length;
            return true;
        }

        private char Peek()
        {
            return _pos < _text.Length ? _text[_pos] : '\0';
        }

        private bool Take(char c)
        {
            if (Peek() != c)
            {
                return false;
            }

            _pos++;
            return true;
        }

        private void SkipSpace()
        {
            while (_pos < _text.Length)
            {
                char c = _text[_pos];
                if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
                {
                    return;
                }

                _pos++;
            }
        }

        private int Line()
        {
            int line = 1;
            int end = _pos < _text.Length ? _pos : _text.Length;
            for (int i = 0; i < end; i++)
            {
                if (_text[i] == '\n')
                {
                    line++;
                }
            }

            return line;
        }
    }
}
