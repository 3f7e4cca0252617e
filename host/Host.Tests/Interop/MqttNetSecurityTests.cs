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
}
