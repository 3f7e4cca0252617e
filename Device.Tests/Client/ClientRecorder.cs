using System.Collections;
using System;
using Device.Client;
using Device.Protocol;

namespace Device.Tests
{
    /// <summary>
    /// Records what an MqttClient reports, one line per callback (e.g. "msg a/b=hi q1", "finished 1 acked"),
    /// so a test can assert the whole sequence of events the application saw.
    /// </summary>
    public sealed class ClientRecorder : IClientListener
    {
        public readonly ArrayList Events = new ArrayList();
        public readonly ArrayList Traces = new ArrayList();

        /// <summary>When > 0, the engine is told to Disconnect from inside the Nth MessageReceived (like sub -C N).</summary>
        public int DisconnectAfterMessages;
        private int _messages;

        public void Connected(MqttClient client, byte returnCode, bool sessionPresent)
        {
            Events.Add("connack " + returnCode + (sessionPresent ? " sp" : ""));
        }

        public void MessageReceived(MqttClient client, byte[] buffer, PublishView m)
        {
            Events.Add("msg " + Utf8.Decode(buffer, m.Topic.Offset, m.Topic.Length) + "=" +
                Utf8.Decode(buffer, m.Payload.Offset, m.Payload.Length) + " q" + m.Qos + (m.Retain ? " r" : ""));
            _messages++;
            if (DisconnectAfterMessages > 0 && _messages == DisconnectAfterMessages)
            {
                client.Disconnect();
            }
        }

        public void Subscribed(MqttClient client, ushort packetId, byte[] buffer, Slice codes)
        {
            string s = "suback " + packetId + ":";
            for (int i = 0; i < codes.Length; i++)
            {
                s += " " + buffer[codes.Offset + i];
            }

            Events.Add(s);
        }

        public void Unsubscribed(MqttClient client, ushort packetId)
        {
            Events.Add("unsuback " + packetId);
        }

        public void PublishFinished(MqttClient client, ushort packetId, bool acknowledged)
        {
            Events.Add("finished " + packetId + (acknowledged ? " acked" : " dropped"));
        }

        public void Closed(MqttClient client, ClientError reason)
        {
            Events.Add("closed " + ClientHarness.Name(reason));
        }

        public void PacketTraced(MqttClient client, bool outgoing, byte[] buffer, int offset, FixedHeader header)
        {
            Traces.Add((outgoing ? "out " : "in ") + header.Type + "/" + header.TotalLength);
        }

        public string Joined()
        {
            string s = "";
            for (int i = 0; i < Events.Count; i++)
            {
                s += (i == 0 ? "" : "|") + (string)Events[i];
            }

            return s;
        }
    }
}
