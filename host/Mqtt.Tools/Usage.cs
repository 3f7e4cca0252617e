namespace Mqtt.Tools
{
    /// <summary>--help texts: mosquitto_pub/mosquitto_sub's, cut down to the options these commands have.</summary>
    public static class Usage
    {
        public const string Pub =
            "pub is a simple mqtt client that will publish a message on a single topic and exit.\n" +
            "It speaks MQTT 3.1.1 and 3.1 through this project's own codec and client engine.\n\n" +
            "Usage: pub {[-h host] [-p port] [-u username [-P password]] -t topic}\n" +
            "           {-f file | -l | -n | -m message | -s}\n" +
            "           [-c] [-k keepalive] [-q qos] [-r]\n" +
            "           [-i id] [-I id_prefix]\n" +
            "           [-d] [--quiet] [-V protocol_version]\n" +
            "           [--will-topic [--will-payload payload] [--will-qos qos] [--will-retain]]\n" +
            "       pub --help\n\n" +
            " -c : disable clean session/enable persistent client mode.\n" +
            " -d : enable debug messages.\n" +
            " -f : send the contents of a file as the message.\n" +
            " -h : mqtt host to connect to. Defaults to localhost.\n" +
            " -i : id to use for this client. Defaults to none (the broker assigns one).\n" +
            " -I : define the client id as id_prefix appended with the process id.\n" +
            " -k : keep alive in seconds for this client. Defaults to 60.\n" +
            " -l : read messages from stdin, sending a separate message for each line.\n" +
            " -m : message payload to send.\n" +
            " -n : send a null (zero length) message.\n" +
            " -p : network port to connect to. Defaults to 1883.\n" +
            " -P : provide a password\n" +
            " -q : quality of service level to use for all messages. Defaults to 0.\n" +
            " -r : message should be retained.\n" +
            " -s : read message from stdin, sending the entire input as a message.\n" +
            " -t : mqtt topic to publish to.\n" +
            " -u : provide a username\n" +
            " -V : specify the version of the MQTT protocol to use when connecting.\n" +
            "      Can be mqttv311 or mqttv31. Defaults to mqttv311.\n" +
            " --help : display this message.\n" +
            " --quiet : don't print error messages.\n" +
            " --will-payload : payload for the client Will, which is sent by the broker in case of\n" +
            "                  unexpected disconnection. If not given and will-topic is set, a zero\n" +
            "                  length message will be sent.\n" +
            " --will-qos : QoS level for the client Will.\n" +
            " --will-retain : if given, make the client Will retained.\n" +
            " --will-topic : the topic on which to publish the client Will.\n";

        public const string Sub =
            "sub is a simple mqtt client that will subscribe to a set of topics and print all messages it receives.\n" +
            "It speaks MQTT 3.1.1 and 3.1 through this project's own codec and client engine.\n\n" +
            "Usage: sub {[-h host] [-p port] [-u username [-P password]] -t topic ...}\n" +
            "           [-c] [-k keepalive] [-q qos] [-C msg_count] [-W timeout_secs]\n" +
            "           [-i id] [-I id_prefix]\n" +
            "           [-d] [-N] [--quiet] [-v] [-V protocol_version]\n" +
            "           [--will-topic [--will-payload payload] [--will-qos qos] [--will-retain]]\n" +
            "       sub --help\n\n" +
            " -c : disable 'clean session' (store subscription and pending messages when client disconnects).\n" +
            " -C : disconnect and exit after receiving the 'msg_count' messages.\n" +
            " -d : enable debug messages.\n" +
            " -h : mqtt host to connect to. Defaults to localhost.\n" +
            " -i : id to use for this client. Defaults to none (the broker assigns one).\n" +
            " -I : define the client id as id_prefix appended with the process id.\n" +
            " -k : keep alive in seconds for this client. Defaults to 60.\n" +
            " -N : do not add an end of line character when printing the payload.\n" +
            " -p : network port to connect to. Defaults to 1883.\n" +
            " -P : provide a password\n" +
            " -q : quality of service level to use for the subscription. Defaults to 0.\n" +
            " -t : mqtt topic to subscribe to. May be repeated multiple times.\n" +
            " -u : provide a username\n" +
            " -v : print published messages verbosely.\n" +
            " -V : specify the version of the MQTT protocol to use when connecting.\n" +
            "      Can be mqttv311 or mqttv31. Defaults to mqttv311.\n" +
            " -W : Specifies a timeout in seconds how long to process incoming MQTT messages.\n" +
            " --help : display this message.\n" +
            " --quiet : don't print error messages.\n" +
            " --will-payload : payload for the client Will, which is sent by the broker in case of\n" +
            "                  unexpected disconnection. If not given and will-topic is set, a zero\n" +
            "                  length message will be sent.\n" +
            " --will-qos : QoS level for the client Will.\n" +
            " --will-retain : if given, make the client Will retained.\n" +
            " --will-topic : the topic on which to publish the client Will.\n";
    }
}
