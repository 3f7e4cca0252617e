using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System;

namespace Broker.Host
{
    public static class Program
    {
        public static int Main(string[] args)
        {
            using CancellationTokenSource stop = new CancellationTokenSource();
            // Ctrl+C and a service manager's SIGTERM both end the loop, which then closes every socket itself.
            Action<PosixSignalContext> onSignal = context =>
            {
                context.Cancel = true;
                stop.Cancel();
            };
            using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, onSignal);
            using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, onSignal);
            return Run(args, Console.Out, Console.Error, stop.Token, null);
        }

        /// <summary>
        /// The whole program, callable in-process by the tests: returns the exit code. <paramref name="started"/>
        /// is told the port once the broker listens (useful with -p 0).
        /// </summary>
        public static int Run(string[] args, TextWriter output, TextWriter error, CancellationToken stop, Action<int> started)
        {
            CommandLine c = CommandLine.Parse(args);
            if (c.Error != null)
            {
                error.WriteLine("Error: " + c.Error);
                error.WriteLine(CommandLine.Usage);
                return 1;
            }
            if (c.Help)
            {
                output.WriteLine(CommandLine.Usage);
                return 0;
            }
            if (c.Passwd)
            {
                return PasswdCommand.Run(c.PasswdArgs, output, error, PasswdCommand.ReadFromConsole);
            }

            Settings settings = new Settings();
            HostFiles files;
            try
            {
                if (c.ConfigPath != null)
                {
                    ConfigFile.Load(c.ConfigPath, settings);
                }
                settings.Port = c.Port ?? settings.Port;
                settings.Bind = c.Bind ?? settings.Bind;
                settings.Verbose = c.Verbose;
                settings.DeviceProfile = c.Profile == "device";
                files = HostFiles.Load(settings);
            }
            catch (FileErrorsException e)
            {
                foreach (FileError fe in e.Errors)
                {
                    error.WriteLine("Error: " + fe);
                }
                error.WriteLine("Broker not started: fix the line" + (e.Errors.Count == 1 ? "" : "s") + " above.");
                return 1;
            }

            return BrokerHost.Run(settings, files, new Log(output, settings.Verbose), stop, started);
        }
    }
}
