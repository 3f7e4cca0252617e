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
