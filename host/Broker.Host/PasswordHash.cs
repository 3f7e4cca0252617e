using System.Globalization;
using System.Security.Cryptography;
using System;

namespace Broker.Host
{
    /// <summary>
    /// One hashed password in Mosquitto's encoding (common/password_mosq.c): "$7$iterations$salt$hash" is
    /// PBKDF2-HMAC-SHA512 (mosquitto_passwd's default since 2.0), "$6$salt$hash" is SHA-512 over password then salt
    /// (1.x files). Salt and hash are standard base64; the hash is 64 bytes, the salt 12 (or 64, as newer
    /// Mosquitto writes). No plain password is ever kept: only these hashes are stored and compared.
    /// </summary>
    public sealed class PasswordHash
    {
        /// <summary>mosquitto_passwd 2.0 uses 101; ten times that still costs well under a millisecond per CONNECT.</summary>
        public const int DefaultIterations = 1000;

        private const int SaltLength = 12;
        private const int HashLength = 64;

        private readonly int _iterations; // 0 for the salted SHA-512 form
        private readonly byte[] _salt;
        private readonly byte[] _hash;

        private PasswordHash(int iterations, byte[] salt, byte[] hash)
        {
            _iterations = iterations;
            _salt = salt;
            _hash = hash;
        }

        public static PasswordHash Create(ReadOnlySpan<byte> password, int iterations = DefaultIterations)
        {
            byte[] salt = RandomNumberGenerator.GetBytes(SaltLength);
            return new PasswordHash(iterations, salt, Pbkdf2(password, salt, iterations));
        }

        /// <summary>Null and a reason when <paramref name="encoded"/> is not a hash this broker (and Mosquitto) reads.</summary>
        public static PasswordHash Parse(string encoded, out string reason)
        {
            reason = null;
            string[] parts = encoded.Split('$');
            if (parts.Length < 2 || parts[0].Length != 0)
            {
                reason = "the password is not hashed (run: dotnet run --project host/Broker.Host -- passwd FILE USER)";
                return null;
            }

            if (parts[1] == "6" && parts.Length == 4)
            {
                return Decode(0, parts[2], parts[3], out reason);
            }

            if (parts[1] == "7" && parts.Length == 5)
            {
                if (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int iterations) || iterations < 1)
                {
                    reason = "'" + parts[2] + "' is not an iteration count";
                    return null;
                }

                return Decode(iterations, parts[3], parts[4], out reason);
            }

            reason = parts[1] == "argon2id"
                ? "argon2id hashes are not supported; make the entry with mosquitto_passwd 2.0 or our passwd command"
                : "unknown hash format '$" + parts[1] + "$' (expected $7$ PBKDF2-SHA512 or $6$ salted SHA-512)";
            return null;
        }

        private static PasswordHash Decode(int iterations, string salt64, string hash64, out string reason)
        {
            reason = null;
            byte[] salt = FromBase64(salt64);
            byte[] hash = FromBase64(hash64);
            if (salt == null || (salt.Length != SaltLength && salt.Length != HashLength))
            {
                reason = "the salt is not base64 of 12 or 64 bytes";
                return null;
            }

            if (hash == null || hash.Length != HashLength)
            {
                reason = "the hash is not base64 of 64 bytes";
                return null;
            }

            return new PasswordHash(iterations, salt, hash);
        }

        public bool Verify(ReadOnlySpan<byte> password)
        {
            byte[] computed = _iterations == 0 ? Sha512(password, _salt) : Pbkdf2(password, _salt, _iterations);
            return CryptographicOperations.FixedTimeEquals(computed, _hash);
        }

        public override string ToString()
        {
            string salt = Convert.ToBase64String(_salt);
            string hash = Convert.ToBase64String(_hash);
            return _iterations == 0
                ? "$6$" + salt + "$" + hash
                : "$7$" + _iterations.ToString(CultureInfo.InvariantCulture) + "$" + salt + "$" + hash;
        }

        private static byte[] Pbkdf2(ReadOnlySpan<byte> password, byte[] salt, int iterations)
        {
            return Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA512, HashLength);
        }

        private static byte[] Sha512(ReadOnlySpan<byte> password, byte[] salt)
        {
            using IncrementalHash h = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
            h.AppendData(password);
            h.AppendData(salt);
            return h.GetHashAndReset();
        }

        private static byte[] FromBase64(string s)
        {
            try
            {
                return Convert.FromBase64String(s);
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}
