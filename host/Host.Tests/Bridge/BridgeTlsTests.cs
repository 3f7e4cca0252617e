using System.Threading;
using System.Threading.Tasks;
using System;
using MQTTnet.Protocol;
using MQTTnet;
using Xunit;

namespace Host.Tests
{
    /// <summary>
    /// Our bridge to Debian's mosquitto over TLS, with a CA the test makes: the upstream's certificate verified against
    /// bridge_cafile, refused with a clear log line for another CA or another name (the local broker carrying on),
    /// bridge_insecure skipping only the name, and a client certificate (bridge_certfile/bridge_keyfile) for an
    /// upstream that requires one.
    /// </summary>
    public sealed class BridgeTlsTests
    {
        [SkippableFact]
        public async Task Messages_flow_both_ways_over_tls_verified_against_bridge_cafile()
        {
            using TlsBridgeRig rig = new TlsBridgeRig();
            rig.StartOurs("bridge_cafile " + rig.CaFile + "\ntopic sensors/# out 1\ntopic cmd/# in 1\n");
            rig.WaitBridgeUp();
            await Flows(rig);
        }

        [SkippableFact]
        public async Task Bridge_capath_verifies_with_a_folder_of_ca_certificates()
        {
            using TlsBridgeRig rig = new TlsBridgeRig();
            string folder = System.IO.Path.Combine(rig.Folder, "cas");
            System.IO.Directory.CreateDirectory(folder);
            System.IO.File.Copy(rig.OtherCaFile, System.IO.Path.Combine(folder, "a-other.pem"));
            System.IO.File.Copy(rig.CaFile, System.IO.Path.Combine(folder, "b-test.crt"));
            System.IO.File.WriteAllText(System.IO.Path.Combine(folder, "README"), "not a certificate");
            rig.StartOurs("bridge_capath " + folder + "\ntopic sensors/# out 1\ntopic cmd/# in 1\n");
            rig.WaitBridgeUp();
            await Flows(rig);
        }

        [SkippableFact]
        public async Task A_certificate_from_another_ca_is_refused_with_a_log_line_and_the_local_broker_carries_on()
        {
            using TlsBridgeRig rig = new TlsBridgeRig();
            rig.StartOurs("bridge_cafile " + rig.OtherCaFile + "\ntopic sensors/# out 1\n");
            // Refused at every attempt, with back-off between them.
            rig.WaitLog("Bridge up: cannot connect to localhost:" + rig.TlsPort + ": TLS: certificate verify failed: the upstream's certificate (CN=localhost, issued by CN=bridge test CA) is not signed by a CA of " + rig.OtherCaFile, 2);
            Assert.Contains("Bridge up: next attempt in", rig.Ours.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("connected to upstream", rig.Ours.Output, StringComparison.Ordinal);
            await LocalStillWorks(rig.OurPort);
            Assert.False(rig.Ours.HasExited);
        }

        [SkippableFact]
        public async Task A_certificate_for_another_name_is_refused_with_a_log_line_and_the_local_broker_carries_on()
        {
            using TlsBridgeRig rig = new TlsBridgeRig(serverName: "upstream.example");
            rig.StartOurs("bridge_cafile " + rig.CaFile + "\ntopic sensors/# out 1\n");
            rig.WaitLog("Bridge up: cannot connect to localhost:" + rig.TlsPort + ": TLS: host name mismatch: the upstream's certificate (CN=upstream.example) is not for 'localhost'", 2);
            Assert.DoesNotContain("connected to upstream", rig.Ours.Output, StringComparison.Ordinal);
            await LocalStillWorks(rig.OurPort);
            Assert.False(rig.Ours.HasExited);
        }

        [SkippableFact]
        public async Task Bridge_insecure_skips_the_name_check_but_not_the_chain()
        {
            using TlsBridgeRig rig = new TlsBridgeRig(serverName: "upstream.example");
            rig.StartOurs("bridge_cafile " + rig.CaFile + "\nbridge_insecure true\ntopic sensors/# out 1\ntopic cmd/# in 1\n");
            rig.WaitBridgeUp();
            await Flows(rig);
        }

        [SkippableFact]
        public async Task A_client_certificate_from_bridge_certfile_and_keyfile_is_accepted_by_require_certificate()
        {
            using TlsBridgeRig rig = new TlsBridgeRig(requireCertificate: true);
            rig.StartOurs("bridge_cafile " + rig.CaFile + "\nbridge_certfile " + rig.ClientStem + ".pem\nbridge_keyfile " + rig.ClientStem + ".key\n"
                + "bridge_tls_version tlsv1.3\ntopic sensors/# out 1\ntopic cmd/# in 1\n");
            rig.WaitBridgeUp();
            await Flows(rig);
        }

        [SkippableFact]
        public async Task Without_a_client_certificate_require_certificate_refuses_the_bridge_with_a_log_line()
        {
            using TlsBridgeRig rig = new TlsBridgeRig(requireCertificate: true);
            // TLS 1.2: the upstream refuses inside the handshake (with 1.3 it would close right after it).
            rig.StartOurs("bridge_cafile " + rig.CaFile + "\nbridge_tls_version tlsv1.2\ntopic sensors/# out 1\n");
            rig.WaitLog("Bridge up: cannot connect to localhost:" + rig.TlsPort + ": TLS handshake failed", 2);
            Assert.Contains("(if the upstream requires a client certificate: bridge_certfile and bridge_keyfile)", rig.Ours.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("connected to upstream", rig.Ours.Output, StringComparison.Ordinal);
            await LocalStillWorks(rig.OurPort);
        }

        /// <summary>Out at QoS 1 from ours to an upstream subscriber (on its plain listener), in from the upstream to a local one.</summary>
        private static async Task Flows(TlsBridgeRig rig)
        {
            using CancellationTokenSource time = MqttNet.Bound();
            using MqttNet up = await MqttNet.Connect(rig.UpstreamPort, "up-sub", time.Token);
            await up.Subscribe("sensors/#", MqttQualityOfServiceLevel.AtLeastOnce, time.Token);
            using MqttNet local = await MqttNet.Connect(rig.OurPort, "local-sub", time.Token);
            await local.Subscribe("cmd/#", MqttQualityOfServiceLevel.AtLeastOnce, time.Token);
            using MqttNet localPub = await MqttNet.Connect(rig.OurPort, "local-pub", time.Token);
            using MqttNet upPub = await MqttNet.Connect(rig.UpstreamPort, "up-pub", time.Token);

            // The bridge's subscription upstream may still be on its way right after CONNACK: repeat until one arrives.
            MqttApplicationMessage got = await Repeat(upPub, "cmd/valve", "open", local, time.Token);
            Assert.Equal("cmd/valve", got.Topic);
            Assert.Equal("open", got.ConvertPayloadToString());

            await localPub.Client.PublishStringAsync("sensors/t1", "21.5", MqttQualityOfServiceLevel.AtLeastOnce, false, time.Token);
            MqttApplicationMessage m = await up.Next(time.Token);
            Assert.Equal("sensors/t1", m.Topic);
            Assert.Equal("21.5", m.ConvertPayloadToString());
            Assert.Equal(MqttQualityOfServiceLevel.AtLeastOnce, m.QualityOfServiceLevel);
            for (int i = 0; i < 100; i++)
            {
                await localPub.Client.PublishStringAsync("sensors/burst", i.ToString(), MqttQualityOfServiceLevel.AtLeastOnce, false, time.Token);
            }

            for (int i = 0; i < 100; i++)
            {
                Assert.Equal(i.ToString(), (await up.Next(time.Token)).ConvertPayloadToString());
            }
        }

        private static async Task<MqttApplicationMessage> Repeat(MqttNet pub, string topic, string payload, MqttNet sub, CancellationToken token)
        {
            while (true)
            {
                await pub.Client.PublishStringAsync(topic, payload, MqttQualityOfServiceLevel.AtLeastOnce, false, token);
                using CancellationTokenSource wait = CancellationTokenSource.CreateLinkedTokenSource(token);
                wait.CancelAfter(TimeSpan.FromMilliseconds(500));
                try
                {
                    return await sub.Next(wait.Token);
                }
                catch (OperationCanceledException) when (!token.IsCancellationRequested)
                {
                }
            }
        }

        private static async Task LocalStillWorks(int port)
        {
            using CancellationTokenSource time = MqttNet.Bound();
            using MqttNet sub = await MqttNet.Connect(port, "still-sub", time.Token);
            await sub.Subscribe("sensors/#", MqttQualityOfServiceLevel.AtLeastOnce, time.Token);
            using MqttNet pub = await MqttNet.Connect(port, "still-pub", time.Token);
            await pub.Client.PublishStringAsync("sensors/local", "ok", MqttQualityOfServiceLevel.AtLeastOnce, false, time.Token);
            MqttApplicationMessage m = await sub.Next(time.Token);
            Assert.Equal("ok", m.ConvertPayloadToString());
        }
    }
}
