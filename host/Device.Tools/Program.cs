using System;
using Device.Tools;

// `dotnet run --project host/Device.Tools -- pub|sub [options]`: mosquitto_pub and mosquitto_sub look-alikes.
if (args.Length == 0 || (args[0] != "pub" && args[0] != "sub"))
{
    Console.Error.Write("Usage: Device.Tools pub [options]   (like mosquitto_pub; pub --help for the options)\n" +
                        "       Device.Tools sub [options]   (like mosquitto_sub; sub --help for the options)\n");
    return 1;
}

string[] rest = args[1..];
using var stdout = Console.OpenStandardOutput();
if (args[0] == "pub")
{
    using var stdin = Console.OpenStandardInput();
    return PubCommand.Run(rest, stdin, stdout, Console.Error);
}

return SubCommand.Run(rest, stdout, Console.Error);
