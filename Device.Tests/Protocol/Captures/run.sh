#!/bin/sh
# Regenerates mosquitto-2.0.11.txt. Loopback only. Needs mosquitto and mosquitto-clients (apt).
#   mosquitto -c mosq.conf &   (mosq.conf: "listener 47310 127.0.0.1", "allow_anonymous true", "acl_file acl";
#                               acl: "topic deny secret/#", "topic readwrite #", "user user", same two lines again)
#   python3 capture.py 47311 47310 mosquitto-2.0.11.txt &
#   PROXY_PORT=47311 sh run.sh
set -x
for V in mqttv31 mqttv311; do
H="-h 127.0.0.1 -p $PROXY_PORT -V $V"
timeout 20 mosquitto_sub $H -i sub-$V -c -q 2 -k 60 -u user -P pass --will-topic will/$V --will-payload bye --will-qos 1 --will-retain -t a/b -t 'c/+' -t 'd/#' -C 3 -v &
sleep 0.7
mosquitto_pub $H -i pub0-$V -q 0 -t a/b -m hello0
mosquitto_pub $H -i pub1-$V -q 1 -t c/x -m hello1 -r
mosquitto_pub $H -i pub2-$V -q 2 -t d/e/f -m hello2
wait
timeout 5 mosquitto_sub $H -i sub-$V -c -q 1 -t a/b -U a/b -W 1
timeout 5 mosquitto_sub $H -i deny-$V -t secret/x -t ok/x -W 1
mosquitto_pub $H -i clear-$V -t c/x -r -n
timeout 10 mosquitto_sub $H -i ping-$V -k 5 -t p/q -W 7
done
