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
}
