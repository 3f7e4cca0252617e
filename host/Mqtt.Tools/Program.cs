using System;
using Mqtt.Tools;

// `dotnet run --project host/Mqtt.Tools -- pub|sub [options]`: mosquitto_pub and mosquitto_sub look-alikes.
if (args.Length == 0 || (args[0] != "pub" && args[0] != "sub"))
{
    Console.Error.Write("Usage: Mqtt.Tools pub [options]   (like mosquitto_pub; pub --help for the options)\n" +
                        "       Mqtt.Tools sub [options]   (like mosquitto_sub; sub --help for the options)\n");
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
