namespace Device.Broker
{
    /// <summary>How a user's password is kept in <see cref="Users"/>: as given (embedding code, tests) or as one of Mosquitto's hashes.</summary>
    public enum PasswordKind
    {
        /// <summary>The password bytes themselves, compared in constant time.</summary>
        Plain = 0,

        /// <summary>Mosquitto 1.x "$6$salt$hash": SHA-512 over the password, then the salt.</summary>
        Sha512Salted = 6,

        /// <summary>Mosquitto 2.0 "$7$iterations$salt$hash": PBKDF2-HMAC-SHA512, 64 bytes.</summary>
        Pbkdf2Sha512 = 7,
    }
}
