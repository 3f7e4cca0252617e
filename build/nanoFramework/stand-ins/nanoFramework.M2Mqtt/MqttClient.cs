using System;
using System.Collections;
using nanoFramework.M2Mqtt.Messages;

namespace nanoFramework.M2Mqtt
{
    /// <summary>
    /// Stand-in of nanoFramework's M2Mqtt client (M2Mqtt/MqttClient.cs): connect to a broker by host name or address on
    /// port 1883, publish, disconnect. The real client runs its own receive, keep-alive and in-flight threads.
    /// </summary>
    public class MqttClient : IMqttClient, IDisposable
    {
        public MqttClient(string brokerHostName)
        {
        }

        public bool IsConnected { get { throw Stub(); } }

        public MqttReasonCode Connect(string clientId)
        {
            throw Stub();
        }

        public ushort Publish(
            string topic,
            byte[] message,
            string contentType,
            ArrayList userProperties,
            MqttQoSLevel qosLevel,
            bool retain)
        {
            throw Stub();
        }

        public void Disconnect()
        {
            throw Stub();
        }

        public void Close()
        {
            throw Stub();
        }

        public void Dispose()
        {
            throw Stub();
        }

        private static Exception Stub()
        {
            return new NotSupportedException("compile-only stand-in");
        }
    }
}
