using Device.Broker;

namespace Device.Tests
{
    /// <summary>
    /// A local subscription's handler for tests: copies what each call saw (the views are valid during the call
    /// only), and can be told to publish from inside the call or to throw.
    /// </summary>
    public sealed class RecordingHandler : IMessageHandler
    {
        public int Calls;
        public string LastTopic;
        public string LastPayload;
        public byte LastQos;
        public bool LastRetain;
        public int LastSubscription = -1;
        public bool Throw;
        public BrokerEngine PublishInside;
        public PublishResult InsideResult;
        public int SubscribeInsideResult;

        public void OnMessage(LocalMessage message)
        {
            Calls++;
            LastTopic = message.Topic.ToString();
            LastPayload = message.Payload.ToString();
            LastQos = message.Qos;
            LastRetain = message.Retain;
            LastSubscription = message.Subscription;
            if (PublishInside != null)
            {
                InsideResult = PublishInside.Publish("inside", null, 0, false);
                SubscribeInsideResult = PublishInside.Subscribe("inside/#", this);
            }

            if (Throw)
            {
                throw new System.InvalidOperationException("handler bug");
            }
        }
    }
}
