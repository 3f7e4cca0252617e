using System.Collections.Generic;
using System.IO;
using System;

namespace Broker.Host
{
    /// <summary>
    /// A Mosquitto password file: one "user:hash" per line, '#' comments and blank lines ignored. Reading keeps every
    /// line as it was, so adding or changing a user (our passwd command) rewrites the file without losing comments.
    /// Like Mosquitto (security_default.c), a line it cannot use (no hash, a plain password, a bad salt, an unknown
    /// hash type, an empty user, a repeated user) is skipped with a warning naming file and line, and the other users
    /// still work; only a file that cannot be read at all stops the broker.
    /// </summary>
    public sealed class PasswordFile
    {
        private readonly List<string> _lines = new List<string>();
        private readonly Dictionary<string, PasswordHash> _users = new Dictionary<string, PasswordHash>(StringComparer.Ordinal);

        public IReadOnlyCollection<string> Users
        {
            get { return _users.Keys; }
        }

        /// <summary>The lines skipped when the file was read, each with file, line and reason.</summary>
        public IReadOnlyList<FileError> Skipped { get; private set; } = new List<FileError>();

        /// <summary>Throws FileErrorsException only when the file cannot be read; skipped lines are in <see cref="Skipped"/>.</summary>
        public static PasswordFile Load(string path)
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new FileErrorsException(new[] { new FileError(path, 0, "cannot read password file: " + e.Message) });
            }
            PasswordFile file = Parse(path, lines, out List<FileError> skipped);
            file.Skipped = skipped;
            return file;
        }

        /// <summary>Reads the lines; <paramref name="errors"/> are the lines skipped (the valid users are kept).</summary>
        public static PasswordFile Parse(string name, string[] lines, out List<FileError> errors)
        {
            PasswordFile file = new PasswordFile();
            errors = new List<FileError>();
            Dictionary<string, int> firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < lines.Length; i++)
            {
                file._lines.Add(lines[i]);
                string line = lines[i].Trim();
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }

                int colon = line.IndexOf(':');
                string user = colon < 0 ? line : line.Substring(0, colon);
                string reason = colon < 0 ? "expected user:hash (no hash)" : colon == 0 ? "the user name is empty" : null;
                PasswordHash hash = reason == null ? PasswordHash.Parse(line.Substring(colon + 1), out reason) : null;
                if (reason == null && firstLine.TryGetValue(user, out int first))
                {
                    reason = "user '" + user + "' appears twice (first on line " + first + ")";
                }
                if (reason != null)
                {
                    errors.Add(new FileError(name, i + 1, reason));
                    continue;
                }
                firstLine[user] = i + 1;
                file._users[user] = hash;
            }
            return file;
        }

        public bool Exists(string user)
        {
            return _users.ContainsKey(user);
        }

        /// <summary>False for an unknown user as for a wrong password, and just as slowly, so neither is told apart.</summary>
        public bool Verify(string user, ReadOnlySpan<byte> password)
        {
            if (_users.TryGetValue(user, out PasswordHash hash))
            {
                return hash.Verify(password);
            }
            Decoy.Verify(password);
            return false;
        }

        private static readonly PasswordHash Decoy = PasswordHash.Create(new byte[] { 0 });

        /// <summary>Null when the name can be stored; otherwise why not (mosquitto_passwd refuses the same).</summary>
        public static string CheckUserName(string user)
        {
            if (string.IsNullOrEmpty(user))
            {
                return "the user name is empty";
            }
            if (user.IndexOf(':') >= 0)
            {
                return "a user name must not contain ':'";
            }
            foreach (char c in user)
            {
                if (char.IsControl(c))
                {
                    return "a user name must not contain control characters";
                }
            }
            return user.Trim().Length != user.Length ? "a user name must not start or end with white space" : null;
        }

        /// <summary>Adds the user, or replaces the hash on the user's existing line.</summary>
        public void Set(string user, PasswordHash hash)
        {
            string entry = user + ":" + hash;
            int index = FindLine(user);
            if (index >= 0)
            {
                _lines[index] = entry;
            }
            else
            {
                _lines.Add(entry);
            }
            _users[user] = hash;
        }

        public bool Remove(string user)
        {
            int index = FindLine(user);
            if (index < 0)
            {
                return false;
            }
            _lines.RemoveAt(index);
            _users.Remove(user);
            return true;
        }

        /// <summary>
        /// Writes next to the target and renames over it, so a crash never leaves half a file, and keeps the file
        /// readable by its owner only (as mosquitto_passwd does).
        /// </summary>
        public void Save(string path)
        {
            string temp = path + ".tmp";
            File.Delete(temp);
            using (FileStream fs = CreateOwnerOnly(temp))
            using (StreamWriter w = new StreamWriter(fs))
            {
                w.NewLine = "\n";
                foreach (string line in _lines)
                {
                    w.WriteLine(line);
                }
            }
            File.Move(temp, path, overwrite: true);
        }

        private static FileStream CreateOwnerOnly(string path)
        {
            FileStreamOptions options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            return new FileStream(path, options);
        }

        private int FindLine(string user)
        {
            for (int i = 0; i < _lines.Count; i++)
            {
                string line = _lines[i].Trim();
                if (line.Length > user.Length && line[user.Length] == ':' && line.StartsWith(user, StringComparison.Ordinal))
                {
                    return i;
                }
            }
            return -1;
        }
    }
}
