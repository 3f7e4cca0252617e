using Device.Broker;

namespace Device.Tests
{
    /// <summary>An IAccessHook for tests: lets in one user name with one password, refuses topics starting with "deny/", records its calls.</summary>
    public sealed class TestAccessHook : IAccessHook
    {
        public string User = "hookuser";
        public string Password = "hookpass";
        public int AuthenticateCalls;
        public int PublishCalls;
        public int SubscribeCalls;
        public string LastClientId;
        public bool LastHadUser;
        public bool Throw;

        public bool Authenticate(ByteView clientId, ByteView username, ByteView password)
        {
            AuthenticateCalls++;
            LastClientId = clientId.ToString();
            LastHadUser = username.Present;
            if (Throw)
            {
                throw new System.InvalidOperationException("hook bug");
            }

            return username.Present && username.Is(User) && password.Present && password.Is(Password);
        }

        public bool MayPublish(ByteView clientId, ByteView username, ByteView topic)
        {
            PublishCalls++;
            LastClientId = clientId.ToString();
            return !topic.StartsWith("deny/");
        }

        public bool MaySubscribe(ByteView clientId, ByteView username, ByteView filter)
        {
            SubscribeCalls++;
            LastClientId = clientId.ToString();
            return !filter.StartsWith("deny/");
        }
    }
}
