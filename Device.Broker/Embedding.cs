using Device.Protocol;

namespace Device.Broker
{
    /// <summary>
    /// The embedding API (docs/EMBEDDING.md): an app that hosts the engine publishes into routing without a socket,
    /// subscribes its own handlers, decides who may connect, publish and subscribe, hears of clients coming and
    /// going, and starts and stops the service. Everything here runs on the engine's one thread: call it from the
    /// thread that runs the transport (between two passes of its loop), never from another thread without the
    /// app's own lock around both. Nothing is allocated per message; the state is sized at start-up
    /// (BrokerOptions.Embedded, LocalSubscriptions, LocalFilterBytes).
    ///
    /// The app is a trusted local publisher: its messages skip the password file, the ACL's write rules and the
    /// $SYS write rule (it is the broker's owner), but every other rule of a PUBLISH holds: topic validity
    /// ([MQTT-3.3.2-2], [MQTT-4.7.3-1]), MaxTopicLength, the retained store ([MQTT-3.3.1-5], an empty retained
    /// payload clears, [MQTT-3.3.1-10]), live copies with retain 0 ([MQTT-3.3.1-9]), each subscriber at
    /// min(QoS, granted) once ([MQTT-3.3.5-1]), the ACL's read rules for each remote subscriber, and
    /// back-pressure: a QoS 1/2 message is taken only when it can be placed for every connected subscriber,
    /// otherwise Publish returns NoRoom and changes nothing (the promise that nothing acknowledged is lost holds
    /// with Ok as the acknowledgement).
    /// </summary>
    public sealed partial class BrokerEngine
    {
        private readonly EmbeddedState _embed;
        private bool _stopped;

        // ---- Start, stop, status ---------------------------------------------------------------------

        /// <summary>False after <see cref="Stop"/>: new connections are refused (Accept returns -1).</summary>
        public bool Running { get { return !_stopped; } }

        /// <summary>Whether the embedding API's state was allocated (BrokerOptions.Embedded).</summary>
        public bool Embedded { get { return _embed != null; } }

        /// <summary>The app's local subscriptions (null unless Embedded).</summary>
        public LocalSubscriptions LocalSubscriptions { get { return _embed == null ? null : _embed.Local; } }

        /// <summary>
        /// Ends every connection (CloseReason.Stopped, without their wills: the clients did not vanish, the service
        /// did) and refuses new ones until <see cref="Start"/>. Persistent sessions, retained messages and local
        /// subscriptions stay; the transport closes the sockets as it does for any connection the engine is done with.
        /// </summary>
        public void Stop(long nowMs)
        {
            if (_embed != null && _embed.InCallback)
            {
                throw new System.InvalidOperationException("Stop from inside a handler or hook: call it from the app's loop");
            }

            _now = nowMs;
            _stopped = true;
            for (int c = 0; c < _connections.Count; c++)
            {
                byte state = _connections.State(c);
                if (state != Connections.Free && state != Connections.Closing)
                {
                    Close(c, CloseReason.Stopped, false);
                }
            }
        }

        /// <summary>Accepts connections again after <see cref="Stop"/> (a new engine starts running).</summary>
        public void Start()
        {
            _stopped = false;
        }

        // ---- Hooks and events ------------------------------------------------------------------------

        /// <summary>The app's authentication and authorisation (null: none). See <see cref="IAccessHook"/> for how it combines.</summary>
        public void SetAccessHook(IAccessHook hook)
        {
            RequireEmbedded().Hook = hook;
        }

        /// <summary>Connect and disconnect notifications (null: none).</summary>
        public void SetClientEvents(IClientEvents events)
        {
            RequireEmbedded().Events = events;
        }

        // ---- Local subscriptions ---------------------------------------------------------------------

        /// <summary>
        /// Calls handler for every message whose topic matches filter (4.7), from remote clients, wills and the
        /// app's own Publish; retained messages matching it are handed over at once with Retain set ([MQTT-3.3.1-6]).
        /// Returns the subscription id, or -1 when the filter is invalid or longer than MaxTopicLength, the slots or
        /// filter bytes are used up, or it is called from inside a callback. Allocates nothing.
        /// </summary>
        public int Subscribe(string filter, IMessageHandler handler)
        {
            EmbeddedState e = RequireEmbedded();
            if (handler == null || e.InCallback)
            {
                return -1;
            }

            int id = e.Local.Add(filter, handler);
            if (id < 0)
            {
                _counters.SubscriptionsRefused++;
                return -1;
            }

            if (e.Local.FilterLength(id) > _options.MaxTopicLength || e.Local.Validate(id) != DecodeResult.Ok)
            {
                e.Local.Remove(id);
                _counters.SubscriptionsRefused++;
                return -1;
            }

            ReplayRetained(e, id);
            return id;
        }

        /// <summary>Removes a local subscription; false when the id is not one.</summary>
        public bool Unsubscribe(int id)
        {
            return _embed != null && _embed.Local.Remove(id);
        }

        // ---- Local publish ---------------------------------------------------------------------------

        /// <summary>Publishes topic (text, UTF-8 on the wire) with the whole of payload (null: empty). See the class summary.</summary>
        public PublishResult Publish(string topic, byte[] payload, byte qos, bool retain)
        {
            if (_embed != null && _embed.InCallback)
            {
                return PublishResult.Busy;
            }

            int topicLength = Utf8.ByteCount(topic);
            int payloadLength = payload == null ? 0 : payload.Length;
            if (qos > 2 || topicLength == 0 || topicLength > _options.MaxTopicLength)
            {
                return Invalid(topicLength);
            }

            // The topic is encoded straight into the pool record that routing reads (no scratch buffer, no string work).
            int m = _pool.AddText(topic, topicLength, payload, 0, payloadLength);
            if (m < 0)
            {
                _counters.LocalNoRoom++;
                return PublishResult.NoRoom;
            }

            if (Topic.ValidateName(_pool.Data, _pool.TopicOffset(m), topicLength) != DecodeResult.Ok)
            {
                _pool.Release(m);
                return Invalid(topicLength);
            }

            return RouteLocal(m, qos, retain);
        }

        /// <summary>Publishes topic[topicOffset..+topicLength) (UTF-8) with payload[payloadOffset..+payloadLength). See the class summary.</summary>
        public PublishResult Publish(byte[] topic, int topicOffset, int topicLength, byte[] payload, int payloadOffset, int payloadLength, byte qos, bool retain)
        {
            if (_embed != null && _embed.InCallback)
            {
                return PublishResult.Busy;
            }

            if (qos > 2 || topicLength > _options.MaxTopicLength || Topic.ValidateName(topic, topicOffset, topicLength) != DecodeResult.Ok)
            {
                return Invalid(topicLength);
            }

            int m = _pool.Add(topic, topicOffset, topicLength, payload, payloadOffset, payloadLength);
            if (m < 0)
            {
                _counters.LocalNoRoom++;
                return PublishResult.NoRoom;
            }

            return RouteLocal(m, qos, retain);
        }

        private PublishResult Invalid(int topicLength)
        {
            if (topicLength > _options.MaxTopicLength)
            {
                _counters.PublishTopicTooLong++;
            }

            return PublishResult.Invalid;
        }

        /// <summary>Routes pool message m (holding one reference, the router's) as HandlePublish routes a taken PUBLISH.</summary>
        private PublishResult RouteLocal(int m, byte qos, bool retain)
        {
            byte[] data = _pool.Data;
            int topic = _pool.TopicOffset(m);
            int topicLength = _pool.TopicLength(m);
            int payload = _pool.PayloadOffset(m);
            int payloadLength = _pool.PayloadLength(m);
            int touched = Match(data, topic, topicLength);
            // Back-pressure as for a remote publisher, QoS 0 included (issue 10): NoRoom is the app's hold.
            _reserved = 0;
            if (!Placeable(touched, qos, data, topic, topicLength, payloadLength, false, true))
            {
                ClearMatch(touched);
                _pool.Release(m);
                _counters.LocalNoRoom++;
                return PublishResult.NoRoom;
            }

            _counters.LocalPublished++;
            if (retain)
            {
                SetRetained(data, topic, topicLength, payload, payloadLength, qos);
            }

            // Local handlers first: routing below only copies out of the record, and the router's reference keeps it
            // where it is until DeliverMatched releases it.
            if (_embed != null)
            {
                DeliverLocal(data, topic, topicLength, payload, payloadLength, qos, false);
            }

            DeliverMatched(touched, data, topic, topicLength, payload, payloadLength, qos, m, true);
            AfterRoomFreed();
            return PublishResult.Ok;
        }

        // ---- Inside routing --------------------------------------------------------------------------

        /// <summary>Hands a routed message to every matching local handler (the app is trusted: no ACL).</summary>
        private void DeliverLocal(byte[] src, int topicOffset, int topicLength, int payloadOffset, int payloadLength, byte qos, bool retain)
        {
            EmbeddedState e = _embed;
            LocalSubscriptions local = e.Local;
            if (local.Count == 0 || e.InCallback)
            {
                return;
            }

            LocalMessage message = e.Message;
            message.Topic.Set(src, topicOffset, topicLength);
            message.Payload.Set(src, payloadOffset, payloadLength);
            message.Qos = qos;
            message.Retain = retain;
            int slots = local.Capacity;
            for (int id = 0; id < slots; id++)
            {
                if (local.InUse(id) && local.Matches(id, src, topicOffset, topicLength))
                {
                    message.Subscription = id;
                    Call(e, local.Handler(id), message);
                }
            }
        }

        private void Call(EmbeddedState e, IMessageHandler handler, LocalMessage message)
        {
            e.InCallback = true;
            try
            {
                handler.OnMessage(message);
                _counters.LocalDelivered++;
            }
            catch (System.Exception)
            {
                // The app's bug must not leave routing half done for the remote subscribers: counted, not rethrown.
                _counters.HookFailures++;
            }

            e.InCallback = false;
        }

        /// <summary>The retained messages matching a new local subscription, with Retain set ([MQTT-3.3.1-6]).</summary>
        private void ReplayRetained(EmbeddedState e, int id)
        {
            byte[] data = _retained.Data;
            LocalMessage message = e.Message;
            for (int k = _retained.Count - 1; k >= 0; k--)
            {
                int i = _retained.At(k);
                int topic = _retained.TopicOffset(i);
                int topicLength = _retained.TopicLength(i);
                if (!e.Local.Matches(id, data, topic, topicLength))
                {
                    continue;
                }

                message.Topic.Set(data, topic, topicLength);
                message.Payload.Set(data, _retained.PayloadOffset(i), _retained.PayloadLength(i));
                message.Qos = _retained.Qos(i);
                message.Retain = true;
                message.Subscription = id;
                Call(e, e.Local.Handler(id), message);
                if (!e.Local.InUse(id))
                {
                    // The handler unsubscribed itself.
                    return;
                }
            }
        }

        /// <summary>The hook's verdict on a CONNECT the built-in checks let through (or left to it), as a CONNACK code.</summary>
        private byte HookAuthenticate(byte[] rx, ConnectView v)
        {
            EmbeddedState e = _embed;
            e.ClientId.Set(rx, v.ClientIdOffset, v.ClientIdLength);
            SetOptional(e.Username, rx, v.HasUsername, v.UsernameOffset, v.UsernameLength);
            SetOptional(e.Password, rx, v.HasPassword, v.PasswordOffset, v.PasswordLength);
            bool ok = false;
            e.InCallback = true;
            try
            {
                ok = e.Hook.Authenticate(e.ClientId, e.Username, e.Password);
            }
            catch (System.Exception)
            {
                _counters.HookFailures++;
            }

            e.InCallback = false;
            e.Password.SetAbsent();
            if (ok)
            {
                return ConnectReturnCode.Accepted;
            }

            _counters.AuthFailures++;
            _counters.HookRefusals++;
            // 5, as the built-in checks answer bad credentials (Mosquitto 2.0's choice, see HandleConnect.Authenticate).
            return ConnectReturnCode.NotAuthorized;
        }

        /// <summary>The hook's verdict on a PUBLISH, will or SUBSCRIBE filter of session s (true without a hook).</summary>
        private bool HookAllows(int s, byte[] topic, int topicOffset, int topicLength, bool subscribe)
        {
            EmbeddedState e = _embed;
            if (e == null || e.Hook == null)
            {
                return true;
            }

            SetSession(e, s);
            e.Topic.Set(topic, topicOffset, topicLength);
            bool ok = false;
            e.InCallback = true;
            try
            {
                ok = subscribe ? e.Hook.MaySubscribe(e.ClientId, e.Username, e.Topic) : e.Hook.MayPublish(e.ClientId, e.Username, e.Topic);
            }
            catch (System.Exception)
            {
                _counters.HookFailures++;
            }

            e.InCallback = false;
            if (!ok)
            {
                _counters.HookRefusals++;
            }

            return ok;
        }

        private void NotifyConnected(int c, int s)
        {
            EmbeddedState e = _embed;
            if (e == null || e.Events == null)
            {
                return;
            }

            SetSession(e, s);
            e.InCallback = true;
            try
            {
                e.Events.ClientConnected(c, e.ClientId, e.Username);
            }
            catch (System.Exception)
            {
                _counters.HookFailures++;
            }

            e.InCallback = false;
        }

        private void NotifyDisconnected(int c, int s, CloseReason reason)
        {
            EmbeddedState e = _embed;
            if (e == null || e.Events == null)
            {
                return;
            }

            SetSession(e, s);
            e.InCallback = true;
            try
            {
                e.Events.ClientDisconnected(c, e.ClientId, reason);
            }
            catch (System.Exception)
            {
                _counters.HookFailures++;
            }

            e.InCallback = false;
        }

        private void SetSession(EmbeddedState e, int s)
        {
            e.ClientId.Set(_sessions.Ids, _sessions.IdOffset(s), _sessions.IdLength(s));
            SetOptional(e.Username, _sessions.Users, _sessions.HasUser(s), _sessions.UserOffset(s), _sessions.UserLength(s));
        }

        private static void SetOptional(ByteView view, byte[] data, bool present, int offset, int length)
        {
            if (present)
            {
                view.Set(data, offset, length);
            }
            else
            {
                view.SetAbsent();
            }
        }

        private EmbeddedState RequireEmbedded()
        {
            if (_embed == null)
            {
                throw new System.InvalidOperationException("BrokerOptions.Embedded is off: the embedding API has no state");
            }

            return _embed;
        }
    }
}
