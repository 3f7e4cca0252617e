using System.IO;
using System.Net.Sockets;
using System.Net;
using System.Threading;
using Broker.Host;
using Xunit;

namespace Host.Tests
{
    public class CommandLineTests
    {
        [Fact]
        public void Short_and_long_flags_are_read()
        {
            CommandLine c = CommandLine.Parse(new[] { "-p", "1884", "--bind", "127.0.0.2", "-c", "b.conf", "-v" });
            Assert.Null(c.Error);
            Assert.Equal(1884, c.Port);
            Assert.Equal("127.0.0.2", c.Bind);
            Assert.Equal("b.conf", c.ConfigPath);
            Assert.True(c.Verbose);

            c = CommandLine.Parse(new[] { "--port", "0", "--config", "x", "--verbose" });
            Assert.Equal(0, c.Port);
            Assert.Equal("x", c.ConfigPath);
            Assert.True(c.Verbose);
        }

        [Theory]
        [InlineData(new[] { "-p", "65536" }, "'65536' is not a port number (0-65535)")]
        [InlineData(new[] { "-p" }, "-p needs a value")]
        [InlineData(new[] { "--fast" }, "unknown option '--fast'")]
        [InlineData(new[] { "--bind", "example.org" }, "'example.org' is not an IPv4 address")]
        public void Bad_arguments_are_refused_with_the_usage(string[] args, string message)
        {
            StringWriter error = new StringWriter();
            Assert.Equal(1, Program.Run(args, new StringWriter(), error, CancellationToken.None, null));
            Assert.StartsWith("Error: " + message, error.ToString());
            Assert.Contains("Usage: dotnet run --project host/Broker.Host", error.ToString());
        }

        [Fact]
        public void A_port_already_in_use_is_reported_and_the_broker_exits_with_1()
        {
            using Socket taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            taken.Listen(1);
            string port = ((IPEndPoint)taken.LocalEndPoint).Port.ToString();
            StringWriter output = new StringWriter();

            int code = Program.Run(new[] { "-p", port }, output, new StringWriter(), CancellationToken.None, null);

            Assert.Equal(1, code);
            Assert.Contains("Error: cannot listen on 127.0.0.1:" + port, output.ToString());
        }

        [Fact]
        public void Help_lists_every_flag_and_exits_zero()
        {
            StringWriter output = new StringWriter();
            Assert.Equal(0, Program.Run(new[] { "-h" }, output, new StringWriter(), CancellationToken.None, null));
            foreach (string flag in new[] { "-c, --config", "-p, --port", "--bind", "-v, --verbose", "-h, --help", "passwd" })
            {
                Assert.Contains(flag, output.ToString());
            }
        }
    }
}
