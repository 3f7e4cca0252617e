namespace Broker.Host
{
    /// <summary>When the journal is forced to the disk (config `fsync`; docs/PERSISTENCE.md, "Guarantees").</summary>
    public enum FsyncMode
    {
        /// <summary>fsync at the end of every engine call that changed saved state, before its acks are sent.</summary>
        Always,

        /// <summary>Written to the OS at once, fsync at most every BatchMs (the default).</summary>
        Batch,

        /// <summary>Written to the OS at once; the OS decides when it reaches the disk.</summary>
        Never,
    }
}
