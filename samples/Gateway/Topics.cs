namespace Samples.Gateway
{
    /// <summary>
    /// The gateway's topics and fixed payloads, encoded once at start-up: Publish from bytes then costs no encoding and
    /// allocates nothing per message.
    /// </summary>
    internal static class Topics
    {
        public const string RelaySet = "gateway/relay/set";

        public static readonly byte[] Temperature = Ascii("gateway/sensor/temperature");

        public static readonly byte[] RelayState = Ascii("gateway/relay/state");

        public static readonly byte[] On = Ascii("on");

        public static readonly byte[] Off = Ascii("off");

        private static byte[] Ascii(string text)
        {
            byte[] bytes = new byte[text.Length];
            char[] chars = text.ToCharArray();
            for (int i = 0; i < chars.Length; i++)
            {
                bytes[i] = (byte)chars[i];
            }

            return bytes;
        }
    }
}
