using Device.Protocol;

namespace Device.Client
{
    /// <summary>Outcome of an operation the application asked for; never thrown.</summary>
    public enum ClientResult
    {
        Ok,

        /// <summary>The operation needs an accepted connection (or, for Connect, a disconnected engine).</summary>
        WrongState,

        /// <summary>The transmit buffer has not enough room now: drain it (Sent) and try again.</summary>
        TransmitBufferFull,

        /// <summary>Every in-flight slot is taken: wait for PublishFinished, Subscribed or Unsubscribed.</summary>
        InflightFull,

        /// <summary>Empty topic, wildcard in a topic name, malformed filter or invalid UTF-8.</summary>
        InvalidTopic,

        /// <summary>QoS above 2.</summary>
        InvalidQos,

        /// <summary>The packet can never fit the transmit buffer (or, for QoS 1/2, an in-flight slot).</summary>
        TooLarge,

        /// <summary>A null array, a count of 0, or a field longer than 65535 bytes.</summary>
        InvalidArgument
    }
}
