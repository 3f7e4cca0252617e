using System.Collections;
using System;
using Device.Client;
using Device.Protocol;

namespace Device.Tests
{
    /// <summary>
    /// Records what an MqttClient reports, one line per callback (e.g. "msg a/b=hi q1", "finished 1 acked"),
    /// so a test can assert the whole sequence of events the application saw. A test that drives thousands of
    /// events sets <see cref="KeepLast"/>: then only the last lines are kept (and <see cref="Count"/> counts them all),
    /// because an ArrayList grown to thousands of entries needs a contiguous block a board's heap may not have.
    /// </summary>
    public sealed class ClientRecorder : IClientListener
    {
        public readonly ArrayList Events = new ArrayList();
        public readonly ArrayList Traces = new ArrayList();

        /// <summary>When > 0, Events and Traces keep only their last KeepLast lines.</summary>
        public int KeepLast;

        /// <summary>Every event reported, kept or not.</summary>
        public int Count;

        /// <summary>When > 0, the engine is told to Disconnect from inside the Nth MessageReceived (like sub -C N).</summary>
        public int DisconnectAfterMessages;
        private int _messages;

        public void Connected(MqttClient client, byte returnCode, bool sessionPresent)
        {
            Add(Events, "connack " + returnCode + (sessionPresent ? " sp" : ""));
        }

        public void MessageReceived(MqttClient client, byte[] buffer, PublishView m)
        {
            Add(Events, "msg " + Utf8.Decode(buffer, m.TopicOffset, m.TopicLength) + "=" +
                Utf8.Decode(buffer, m.PayloadOffset, m.PayloadLength) + " q" + m.Qos + (m.Retain ? " r" : ""));
            _messages++;
            if (DisconnectAfterMessages > 0 && _messages == DisconnectAfterMessages)
            {
                client.Disconnect();
            }
        }

        public void Subscribed(MqttClient client, ushort packetId, byte[] buffer, int codesOffset, int codesLength)
        {
            string s = "suback " + packetId + ":";
            for (int i = 0; i < codesLength; i++)
            {
                s += " " + buffer[codesOffset + i];
            }

            Add(Events, s);
        }

        public void Unsubscribed(MqttClient client, ushort packetId)
        {
            Add(Events, "unsuback " + packetId);
        }

        public void PublishFinished(MqttClient client, ushort packetId, bool acknowledged)
        {
            Add(Events, "finished " + packetId + (acknowledged ? " acked" : " dropped"));
        }

        public void Closed(MqttClient client, ClientError reason)
        {
            Add(Events, "closed " + ClientHarness.Name(reason));
        }

        public void PacketTraced(MqttClient client, bool outgoing, byte[] buffer, int offset, FixedHeader header)
        {
            Add(Traces, (outgoing ? "out " : "in ") + header.Type + "/" + header.TotalLength);
        }

        private void Add(ArrayList lines, string line)
        {
            if (lines == Events)
            {
                Count++;
            }

            if (KeepLast > 0 && lines.Count >= KeepLast)
            {
                lines.RemoveAt(0);
            }

            lines.Add(line);
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
