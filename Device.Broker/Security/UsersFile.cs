namespace Device.Broker
{
    /// <summary>
    /// Reads Mosquitto's password_file into <see cref="Users"/>: one "user:hash" per line, '#' comments and blank
    /// lines skipped. The hash is "$7$iterations$salt$hash" (PBKDF2-HMAC-SHA512, what mosquitto_passwd 2.0 and our
    /// `passwd` command write) or "$6$salt$hash" (salted SHA-512, Mosquitto 1.x), salt and hash in base64. Plain
    /// passwords are refused: the file is meant to be readable without giving the passwords away. The board
    /// reads its password file with this (the PC's broker program checks hashes with .NET's own PBKDF2, see
    /// host/Broker.Host/PasswordFile.cs). Set-up time only: it allocates strings.
    /// </summary>
    public static class UsersFile
    {
        /// <summary>
        /// Adds every good line of <paramref name="text"/> to <paramref name="users"/> and marks the table enabled
        /// (a configured file with no valid user lets nobody in). Each bad line is added to <paramref name="errors"/>
        /// (may be null) with its number and reason. PBKDF2 entries above <paramref name="maxIterations"/> are refused:
        /// every CONNECT with a password costs that many iterations on the engine's one thread.
        /// </summary>
        public static bool Load(Users users, string text, int maxIterations, System.Collections.ArrayList errors)
        {
            users.Enable();
            bool ok = true;
            string[] lines = TextLines.Split(text);
            for (int n = 0; n < lines.Length; n++)
            {
                string line = lines[n].Trim();
                if (TextLines.Skipped(line))
                {
                    continue;
                }

                string reason = Entry(users, line, maxIterations);
                if (reason != null)
                {
                    ok = false;
                    TextLines.Add(errors, n + 1, reason);
                }
            }

            return ok;
        }

        private static string Entry(Users users, string line, int maxIterations)
        {
            int colon = line.IndexOf(':');
            if (colon <= 0)
            {
                return "expected user:hash";
            }

            string user = line.Substring(0, colon);
            string[] parts = line.Substring(colon + 1).Split('$');
            if (parts.Length < 2 || parts[0].Length != 0)
            {
                return "the password of '" + user + "' is not hashed (make the line with mosquitto_passwd or our passwd command)";
            }

            PasswordKind kind;
            int iterations = 0;
            string salt64;
            string hash64;
            if (parts[1] == "7" && parts.Length == 5)
            {
                kind = PasswordKind.Pbkdf2Sha512;
                iterations = Number(parts[2]);
                if (iterations < 1 || iterations > maxIterations)
                {
                    return "'" + parts[2] + "' iterations: this broker takes 1.." + maxIterations.ToString()
                        + " (each costs two SHA-512 blocks per CONNECT; mosquitto_passwd 2.0 writes 101)";
                }

                salt64 = parts[3];
                hash64 = parts[4];
            }
            else if (parts[1] == "6" && parts.Length == 4)
            {
                kind = PasswordKind.Sha512Salted;
                salt64 = parts[2];
                hash64 = parts[3];
            }
            else
            {
                return "unknown hash format '$" + parts[1] + "$' (expected $7$ PBKDF2-SHA512 or $6$ salted SHA-512)";
            }

            byte[] salt = FromBase64(salt64);
            byte[] hash = FromBase64(hash64);
            if (salt == null || salt.Length == 0)
            {
                return "the salt is not base64";
            }

            if (hash == null || hash.Length != Sha512.HashLength)
            {
                return "the hash is not base64 of 64 bytes";
            }

            if (users.Find(Utf8Bytes(user), 0, Utf8Bytes(user).Length) >= 0)
            {
                return "user '" + user + "' appears twice";
            }

            if (!users.AddHashed(user, kind, iterations, salt, hash))
            {
                return "the user does not fit the password table (" + users.Capacity.ToString() + " users)";
            }

            return null;
        }

        private static byte[] Utf8Bytes(string s)
        {
            byte[] b = new byte[Device.Protocol.Utf8.ByteCount(s)];
            Device.Protocol.Utf8.Encode(s, b, 0);
            return b;
        }

        private static int Number(string s)
        {
            if (s.Length == 0 || s.Length > 9)
            {
                return -1;
            }

            int n = 0;
            for (int i = 0; i < s.Length; i++)
            {
                if (s[i] < '0' || s[i] > '9')
                {
                    return -1;
                }

                n = n * 10 + (s[i] - '0');
            }

            return n;
        }

        private static byte[] FromBase64(string s)
        {
            try
            {
                return System.Convert.FromBase64String(s);
            }
            catch (System.Exception)
            {
                // Set-up time only: a bad line is reported, not thrown.
                return null;
            }
        }
    }
}
