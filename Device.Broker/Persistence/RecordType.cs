namespace Device.Broker
{
    /// <summary>
    /// The record kinds of the stores' formats (docs/PERSISTENCE.md): one per <see cref="IPersistence"/> call, plus
    /// Commit, which closes a group of records that must be applied together (one seam call's changes).
    /// </summary>
    public static class RecordType
    {
        public const byte SessionSaved = 1;
        public const byte SessionRemoved = 2;
        public const byte Subscribed = 3;
        public const byte Unsubscribed = 4;
        public const byte RetainedSet = 5;
        public const byte IncomingAdded = 6;
        public const byte IncomingRemoved = 7;
        public const byte DeliveryAdded = 8;
        public const byte DeliveryChanged = 9;
        public const byte DeliveryRemoved = 10;
        public const byte Commit = 11;
    }
}
