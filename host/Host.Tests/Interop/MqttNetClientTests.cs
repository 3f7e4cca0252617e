using System.Text;
using System.Threading.Channels;
using System.Threading.Tasks;
using System.Threading;
using System;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using MQTTnet;
using Xunit;

namespace Host.Tests
{
    /// <summary>MQTTnet 5 (a second client implementation we did not write) against our host broker.</summary>
    public class MqttNetClientTests : IClassFixture<HostBroker>
    {
        private readonly HostBroker _broker;

        public MqttNetClientTests(HostBroker broker)
        {
            _broker = broker;
        }

        [Theory]
        [InlineData(MqttQualityOfServiceLevel.AtMostOnce)]
        [InlineData(MqttQualityOfServiceLevel.AtLeastOnce)]
        [InlineData(MqttQualityOfServiceLevel.ExactlyOnce)]
        public async Task A_message_makes_the_round_trip_at_each_qos(MqttQualityOfServiceLevel qos)
        {
            using CancellationTokenSource time = MqttNet.Bound();
            string topic = "mqttnet/round/" + (int)qos;
            using MqttNet sub = await MqttNet.Connect(_broker.Port, "mqttnet-sub-" + (int)qos, time.Token);
            Assert.Equal((int)qos, (int)await sub.Subscribe(topic, qos, time.Token));
            using MqttNet pub = await MqttNet.Connect(_broker.Port, "mqttnet-pub-" + (int)qos, time.Token);

            MqttClientPublishResult published = await pub.Client.PublishStringAsync(topic, "hello " + (int)qos, qos, false, time.Token);

            Assert.True(published.IsSuccess);
            MqttApplicationMessage m = await sub.Next(time.Token);
            Assert.Equal(topic, m.Topic);
            Assert.Equal("hello " + (int)qos, m.ConvertPayloadToString());
            Assert.Equal(qos, m.QualityOfServiceLevel);
        }

        [Fact]
        public async Task A_retained_message_reaches_a_later_subscriber()
        {
            using CancellationTokenSource time = MqttNet.Bound();
            using (MqttNet pub = await MqttNet.Connect(_broker.Port, "mqttnet-retainer", time.Token))
            {
                await pub.Client.PublishStringAsync("mqttnet/retained/hall", "19.0", MqttQualityOfServiceLevel.AtLeastOnce, true, time.Token);
            }

            using MqttNet sub = await MqttNet.Connect(_broker.Port, "mqttnet-late", time.Token);
            await sub.Subscribe("mqttnet/retained/#", MqttQualityOfServiceLevel.AtLeastOnce, time.Token);

            MqttApplicationMessage m = await sub.Next(time.Token);
            Assert.True(m.Retain);
            Assert.Equal("mqttnet/retained/hall", m.Topic);
            Assert.Equal("19.0", m.ConvertPayloadToString());
        }

        [Fact]
        public async Task The_will_of_a_client_whose_connection_dies_is_published()
        {
            using CancellationTokenSource time = MqttNet.Bound();
            using MqttNet watcher = await MqttNet.Connect(_broker.Port, "mqttnet-watcher", time.Token);
            await watcher.Subscribe("mqttnet/will/#", MqttQualityOfServiceLevel.AtLeastOnce, time.Token);
            using Relay relay = new Relay(_broker.Port);
            using MqttNet dying = await MqttNet.Connect(relay.Port, "mqttnet-dying", time.Token, b => b
                .WithWillTopic("mqttnet/will/dying").WithWillPayload("gone").WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce));

            relay.Cut();

            MqttApplicationMessage m = await watcher.Next(time.Token);
            Assert.Equal("mqttnet/will/dying", m.Topic);
            Assert.Equal("gone", m.ConvertPayloadToString());
            Assert.True(_broker.WaitForLog("Client mqttnet-dying closed its connection.", PeerProcess.Patience), _broker.Log);
        }

        [Fact]
        public async Task A_persistent_session_receives_qos1_messages_published_while_it_was_away()
        {
            using CancellationTokenSource time = MqttNet.Bound();
            using (MqttNet first = await MqttNet.Connect(_broker.Port, "mqttnet-away", time.Token, b => b.WithCleanSession(false)))
            {
                await first.Subscribe("mqttnet/away", MqttQualityOfServiceLevel.AtLeastOnce, time.Token);
                await first.Client.DisconnectAsync(new MqttClientDisconnectOptions(), time.Token);
            }

            using (MqttNet pub = await MqttNet.Connect(_broker.Port, "mqttnet-away-pub", time.Token))
            {
                await pub.Client.PublishStringAsync("mqttnet/away", "first", MqttQualityOfServiceLevel.AtLeastOnce, false, time.Token);
                await pub.Client.PublishStringAsync("mqttnet/away", "second", MqttQualityOfServiceLevel.AtLeastOnce, false, time.Token);
            }

            using MqttNet back = await MqttNet.Connect(_broker.Port, "mqttnet-away", time.Token, b => b.WithCleanSession(false));

            Assert.True(back.Connected.IsSessionPresent);
            Assert.Equal("first", (await back.Next(time.Token)).ConvertPayloadToString());
            Assert.Equal("second", (await back.Next(time.Token)).ConvertPayloadToString());
        }
    }

    /// <summary>MQTTnet against the broker with a hashed password file and an ACL.</summary>
    public class MqttNetSecurityTests : IClassFixture<SecureHostBroker>
    {
        private readonly SecureHostBroker _broker;

        public MqttNetSecurityTests(SecureHostBroker broker)
        {
            _broker = broker;
        }

        [Fact]
        public async Task The_right_password_is_accepted_and_a_wrong_one_or_none_refused()
        {
            using CancellationTokenSource time = MqttNet.Bound();
            using (MqttNet ok = await MqttNet.Connect(_broker.Port, "mqttnet-alice", time.Token, b => b.WithCredentials("alice", SecureHostBroker.AlicePassword)))
            {
                Assert.Equal(MqttClientConnectResultCode.Success, ok.Connected.ResultCode);
            }

            // Mosquitto 2.0 answers a wrong password with 5 (not authorised), and so does this broker.
            Assert.Equal(MqttClientConnectResultCode.NotAuthorized,
                await MqttNet.Refusal(_broker.Port, "mqttnet-guess", b => b.WithCredentials("alice", "guess"), time.Token));
            Assert.Equal(MqttClientConnectResultCode.NotAuthorized,
                await MqttNet.Refusal(_broker.Port, "mqttnet-anonymous", b => b, time.Token));
        }

        [Fact]
        public async Task A_subscription_the_acl_does_not_grant_is_refused()
        {
            using CancellationTokenSource time = MqttNet.Bound();
            using MqttNet alice = await MqttNet.Connect(_broker.Port, "mqttnet-alice-sub", time.Token, b => b.WithCredentials("alice", SecureHostBroker.AlicePassword));

            MqttClientSubscribeResultCode code = await alice.Subscribe("secret/#", MqttQualityOfServiceLevel.AtMostOnce, time.Token);

            Assert.Equal(MqttClientSubscribeResultCode.UnspecifiedError, code);
        }

        [Fact]
        public async Task A_publish_the_acl_does_not_grant_is_not_delivered()
        {
            using CancellationTokenSource time = MqttNet.Bound();
            using MqttNet bob = await MqttNet.Connect(_broker.Port, "mqttnet-bob", time.Token, b => b.WithCredentials("bob", SecureHostBroker.BobPassword));
            await bob.Subscribe("public/mqttnet", MqttQualityOfServiceLevel.AtLeastOnce, time.Token);
            using MqttNet alice = await MqttNet.Connect(_broker.Port, "mqttnet-alice-pub", time.Token, b => b.WithCredentials("alice", SecureHostBroker.AlicePassword));

            await alice.Client.PublishStringAsync("public/mqttnet", "from-alice", MqttQualityOfServiceLevel.AtLeastOnce, false, time.Token);
            await bob.Client.PublishStringAsync("public/mqttnet", "from-bob", MqttQualityOfServiceLevel.AtLeastOnce, false, time.Token);

            // In publication order: had alice's message passed, it would arrive first.
            Assert.Equal("from-bob", (await bob.Next(time.Token)).ConvertPayloadToString());
        }
    }

    /// <summary>An MQTTnet 3.1.1 client with its received messages in a queue.</summary>
    public sealed class MqttNet : IDisposable
    {
        private readonly Channel<MqttApplicationMessage> _inbox = Channel.CreateUnbounded<MqttApplicationMessage>();

        private MqttNet()
        {
            Client = new MqttClientFactory().CreateMqttClient();
            Client.ApplicationMessageReceivedAsync += e =>
            {
                _inbox.Writer.TryWrite(e.ApplicationMessage);
                return Task.CompletedTask;
            };
        }

        public IMqttClient Client { get; }

        public MqttClientConnectResult Connected { get; private set; }

        /// <summary>Every test's time limit: awaits past it are cancelled and the test fails.</summary>
        public static CancellationTokenSource Bound()
        {
            return new CancellationTokenSource(TimeSpan.FromSeconds(30));
        }

        public static async Task<MqttNet> Connect(int port, string clientId, CancellationToken token,
            Func<MqttClientOptionsBuilder, MqttClientOptionsBuilder> configure = null)
        {
            MqttNet c = new MqttNet();
            MqttClientOptionsBuilder b = Options(port, clientId);
            c.Connected = await c.Client.ConnectAsync((configure ?? (x => x))(b).Build(), token);
            return c;
        }

        /// <summary>The CONNACK code of a connection the broker refuses.</summary>
        public static async Task<MqttClientConnectResultCode> Refusal(int port, string clientId,
            Func<MqttClientOptionsBuilder, MqttClientOptionsBuilder> configure, CancellationToken token)
        {
            using MqttNet c = new MqttNet();
            try
            {
                MqttClientConnectResult r = await c.Client.ConnectAsync(configure(Options(port, clientId)).Build(), token);
                return r.ResultCode;
            }
            catch (MQTTnet.Adapter.MqttConnectingFailedException e)
            {
                foreach (MqttClientConnectResultCode code in Enum.GetValues<MqttClientConnectResultCode>())
                {
                    if (code != MqttClientConnectResultCode.Success && e.Message.Contains(code.ToString()))
                    {
                        return code;
                    }
                }

                throw;
            }
        }

        private static MqttClientOptionsBuilder Options(int port, string clientId)
        {
            return new MqttClientOptionsBuilder()
                .WithTcpServer("127.0.0.1", port)
                .WithClientId(clientId)
                .WithProtocolVersion(MqttProtocolVersion.V311)
                .WithTimeout(TimeSpan.FromSeconds(20));
        }

        public async Task<MqttClientSubscribeResultCode> Subscribe(string filter, MqttQualityOfServiceLevel qos, CancellationToken token)
        {
            MqttClientSubscribeResult r = await Client.SubscribeAsync(
                new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, qos).Build(), token);
            return Assert.Single(r.Items).ResultCode;
        }

        public async Task<MqttApplicationMessage> Next(CancellationToken token)
        {
            return await _inbox.Reader.ReadAsync(token);
        }

        public bool TryNext(out MqttApplicationMessage m)
        {
            return _inbox.Reader.TryRead(out m);
        }

        public void Dispose()
        {
            Client.Dispose();
        }
    }
}
