using System.Collections.Generic;
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
            // SIGHUP reloads the password and ACL files, as Mosquitto does, instead of ending the process.
            ReloadRequests reloads = new ReloadRequests();
            using PosixSignalRegistration sighup = OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true;
                reloads.Raise();
            });
            return Run(args, Console.Out, Console.Error, stop.Token, null, reloads);
        }

        public static int Run(string[] args, TextWriter output, TextWriter error, CancellationToken stop, Action<int> started)
        {
            return Run(args, output, error, stop, started, null);
        }

        /// <summary>
        /// The whole program, callable in-process by the tests: returns the exit code. <paramref name="started"/>
        /// is told the port once the broker listens (useful with -p 0).
        /// </summary>
        public static int Run(string[] args, TextWriter output, TextWriter error, CancellationToken stop, Action<int> started, ReloadRequests reloads)
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

            BrokerSettings settings = new BrokerSettings();
            List<HostFiles> files;
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
                files = HostFiles.LoadAll(settings);
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

            MosquittoLog log;
            try
            {
                log = new MosquittoLog(settings, output, error);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                error.WriteLine("Error: cannot open the log file: " + e.Message);
                return 1;
            }

            using (log)
            {
                return BrokerHost.Run(settings, files, log, stop, started, reloads);
            }
        }
    }
}
