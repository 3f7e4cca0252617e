using System.Collections.Generic;
using System.Text;
using Device.Broker;

namespace Broker.Host
{
    /// <summary>
    /// The saved state read back from the PC store (snapshot, then journal), keyed as the run that wrote it named
    /// things (session slots, delivery entries); <see cref="ApplyTo"/> hands it to a fresh engine, which gives
    /// everything new slots. Host-only (restore is once per start; the board restores from its snapshot directly).
    /// </summary>
    public sealed class StoreModel
    {
        public sealed class Session
        {
            public byte[] Id;
            public readonly Dictionary<string, byte> Subscriptions = new Dictionary<string, byte>();
            public readonly List<ushort> Incoming = new List<ushort>();
            public readonly List<Delivery> Deliveries = new List<Delivery>();
        }

        public sealed class Delivery
        {
            public int Session;
            public int Message;
            public byte[] Topic;
            public byte[] Payload;
            public byte Qos;
            public byte State;
            public ushort PacketId;
            public bool Retain;
        }

        public sealed class RetainedMessage
        {
            public byte[] Topic;
            public byte[] Payload;
            public byte Qos;
        }

        public readonly Dictionary<string, RetainedMessage> Retained = new Dictionary<string, RetainedMessage>();
        public readonly SortedDictionary<int, Session> Sessions = new SortedDictionary<int, Session>();
        public readonly Dictionary<int, Delivery> Entries = new Dictionary<int, Delivery>();

        private static string Key(byte[] b, int offset, int length)
        {
            return Encoding.Latin1.GetString(b, offset, length);
        }

        private static byte[] Copy(byte[] b, int offset, int length)
        {
            byte[] c = new byte[length];
            System.Array.Copy(b, offset, c, 0, length);
            return c;
        }

        /// <summary>Applies one record body (b[offset..offset+length)); false when its fields do not add up (damage).</summary>
        public bool Apply(byte[] b, int offset, int length)
        {
            if (length < 1)
            {
                return false;
            }

            int end = offset + length;
            int p = offset + 1;
            switch (b[offset])
            {
                case RecordType.SessionSaved:
                {
                    if (length < 5)
                    {
                        return false;
                    }

                    int s = StoreFormat.GetInt32(b, p);
                    RemoveSession(s);
                    Sessions[s] = new Session { Id = Copy(b, p + 4, end - p - 4) };
                    return true;
                }

                case RecordType.SessionRemoved:
                    if (length != 5)
                    {
                        return false;
                    }

                    RemoveSession(StoreFormat.GetInt32(b, p));
                    return true;
                case RecordType.Subscribed:
                {
                    if (length < 6 || b[p + 4] > 2)
                    {
                        return false;
                    }

                    if (Sessions.TryGetValue(StoreFormat.GetInt32(b, p), out Session session))
                    {
                        session.Subscriptions[Key(b, p + 5, end - p - 5)] = b[p + 4];
                    }

                    return true;
                }

                case RecordType.Unsubscribed:
                {
                    if (length < 5)
                    {
                        return false;
                    }

                    if (Sessions.TryGetValue(StoreFormat.GetInt32(b, p), out Session session))
                    {
                        session.Subscriptions.Remove(Key(b, p + 4, end - p - 4));
                    }

                    return true;
                }

                case RecordType.RetainedSet:
                {
                    if (length < 4 || b[p] > 2)
                    {
                        return false;
                    }

                    int topicLength = StoreFormat.GetUInt16(b, p + 1);
                    if (p + 3 + topicLength > end)
                    {
                        return false;
                    }

                    string key = Key(b, p + 3, topicLength);
                    int payload = p + 3 + topicLength;
                    if (payload == end)
                    {
                        Retained.Remove(key);
                    }
                    else
                    {
                        Retained[key] = new RetainedMessage { Topic = Copy(b, p + 3, topicLength), Payload = Copy(b, payload, end - payload), Qos = b[p] };
                    }

                    return true;
                }

                case RecordType.IncomingAdded:
                case RecordType.IncomingRemoved:
                {
                    if (length != 7)
                    {
                        return false;
                    }

                    ushort id = (ushort)StoreFormat.GetUInt16(b, p + 4);
                    if (Sessions.TryGetValue(StoreFormat.GetInt32(b, p), out Session session))
                    {
                        session.Incoming.Remove(id);
                        if (b[offset] == RecordType.IncomingAdded)
                        {
                            session.Incoming.Add(id);
                        }
                    }

                    return true;
                }

                case RecordType.DeliveryAdded:
                    return AddDelivery(b, p, end);
                case RecordType.DeliveryChanged:
                {
                    if (length != 8 || b[p + 4] < Deliveries.AwaitPuback || b[p + 4] > Deliveries.Queued)
                    {
                        return false;
                    }

                    if (Entries.TryGetValue(StoreFormat.GetInt32(b, p), out Delivery d))
                    {
                        d.State = b[p + 4];
                        d.PacketId = (ushort)StoreFormat.GetUInt16(b, p + 5);
                        if (d.State == Deliveries.AwaitPubcomp)
                        {
                            d.Topic = null;
                            d.Payload = null;
                            d.Message = -1;
                        }
                    }

                    return true;
                }

                case RecordType.DeliveryRemoved:
                    if (length != 5)
                    {
                        return false;
                    }

                    RemoveEntry(StoreFormat.GetInt32(b, p));
                    return true;
                case RecordType.Commit:
                    return length == 1;
            }

            return false;
        }

        private bool AddDelivery(byte[] b, int p, int end)
        {
            // s, e, message (i32 each), qos, state, packet id (u16), retain, topic length (u16), topic, payload: 19 bytes
            // and the message. A PUBREL-sent delivery (AwaitPubcomp) has no message left (Persisting.SaveTo writes it
            // with an empty topic), so 19 bytes is a whole record; any other state needs a topic (checked below).
            if (end - p < 19)
            {
                return false;
            }

            int s = StoreFormat.GetInt32(b, p);
            int e = StoreFormat.GetInt32(b, p + 4);
            int message = StoreFormat.GetInt32(b, p + 8);
            byte qos = b[p + 12];
            byte state = b[p + 13];
            int topicLength = StoreFormat.GetUInt16(b, p + 17);
            if (qos < 1 || qos > 2 || state < Deliveries.AwaitPuback || state > Deliveries.Queued || p + 19 + topicLength > end
                || (topicLength == 0 && state != Deliveries.AwaitPubcomp))
            {
                return false;
            }

            RemoveEntry(e);
            if (!Sessions.TryGetValue(s, out Session session))
            {
                return true;
            }

            Delivery d = new Delivery
            {
                Session = s,
                Message = message,
                Qos = qos,
                State = state,
                PacketId = (ushort)StoreFormat.GetUInt16(b, p + 14),
                Retain = b[p + 16] != 0,
            };
            if (state != Deliveries.AwaitPubcomp)
            {
                d.Topic = Copy(b, p + 19, topicLength);
                d.Payload = Copy(b, p + 19 + topicLength, end - p - 19 - topicLength);
            }

            Entries[e] = d;
            session.Deliveries.Add(d);
            return true;
        }

        private void RemoveEntry(int e)
        {
            if (Entries.Remove(e, out Delivery d) && Sessions.TryGetValue(d.Session, out Session session))
            {
                session.Deliveries.Remove(d);
            }
        }

        private void RemoveSession(int s)
        {
            if (!Sessions.Remove(s, out Session session))
            {
                return;
            }

            List<int> gone = new List<int>();
            foreach (KeyValuePair<int, Delivery> kv in Entries)
            {
                if (kv.Value.Session == s)
                {
                    gone.Add(kv.Key);
                }
            }

            foreach (int e in gone)
            {
                Entries.Remove(e);
            }
        }

        /// <summary>What did not fit the engine's tables, by kind (empty when everything was restored).</summary>
        public sealed class Refusals
        {
            public int Retained;
            public int Sessions;
            public int Subscriptions;
            public int Incoming;
            public int Deliveries;

            public int Total { get { return Retained + Sessions + Subscriptions + Incoming + Deliveries; } }
        }

        /// <summary>Restores everything into a fresh engine (before its first Accept): retained, then each session in slot order.</summary>
        public Refusals ApplyTo(BrokerEngine engine)
        {
            Refusals refused = new Refusals();
            foreach (RetainedMessage r in Retained.Values)
            {
                byte[] data = new byte[r.Topic.Length + r.Payload.Length];
                r.Topic.CopyTo(data, 0);
                r.Payload.CopyTo(data, r.Topic.Length);
                if (!engine.RestoreRetained(data, 0, r.Topic.Length, r.Topic.Length, r.Payload.Length, r.Qos))
                {
                    refused.Retained++;
                }
            }

            // One pool message per saved one (the run that saved it shared a message among sessions the same way).
            Dictionary<(int, string), int> messages = new Dictionary<(int, string), int>();
            foreach (Session session in Sessions.Values)
            {
                int s = engine.RestoreSession(session.Id, 0, session.Id.Length);
                if (s < 0)
                {
                    refused.Sessions++;
                    continue;
                }

                foreach (KeyValuePair<string, byte> sub in session.Subscriptions)
                {
                    byte[] filter = Encoding.Latin1.GetBytes(sub.Key);
                    if (!engine.RestoreSubscription(s, filter, 0, filter.Length, sub.Value))
                    {
                        refused.Subscriptions++;
                    }
                }

                foreach (ushort id in session.Incoming)
                {
                    if (!engine.RestoreIncoming(s, id))
                    {
                        refused.Incoming++;
                    }
                }

                // In flight first, each part in its saved order (the engine keeps in-flight entries as a prefix).
                foreach (bool inflight in new[] { true, false })
                {
                    foreach (Delivery d in session.Deliveries)
                    {
                        if ((d.State != Deliveries.Queued) != inflight)
                        {
                            continue;
                        }

                        int message = -1;
                        if (d.State != Deliveries.AwaitPubcomp)
                        {
                            var key = (d.Message, Encoding.Latin1.GetString(d.Topic) + "\0" + Encoding.Latin1.GetString(d.Payload));
                            if (!messages.TryGetValue(key, out message))
                            {
                                byte[] data = new byte[d.Topic.Length + d.Payload.Length];
                                d.Topic.CopyTo(data, 0);
                                d.Payload.CopyTo(data, d.Topic.Length);
                                message = engine.RestoreMessage(data, 0, d.Topic.Length, d.Topic.Length, d.Payload.Length);
                                if (message < 0)
                                {
                                    refused.Deliveries++;
                                    continue;
                                }

                                messages[key] = message;
                            }
                        }

                        if (!engine.RestoreDelivery(s, message, d.Qos, d.State, d.PacketId, d.Retain))
                        {
                            refused.Deliveries++;
                        }
                    }
                }
            }

            foreach (int message in messages.Values)
            {
                engine.ReleaseRestored(message);
            }

            return refused;
        }
    }
}
