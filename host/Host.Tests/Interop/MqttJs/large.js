// MQTT.js (npm `mqtt`, version 5) as a peer of the PC broker (issue 10): a subscriber and a publisher, one message.
// usage: node large.js PORT QOS TOPIC IN_FILE OUT_FILE
// Subscribes at QOS, then publishes IN_FILE's bytes at QOS and waits for the publish to complete (PUBACK / PUBCOMP,
// or the write for QoS 0); the subscriber writes the payload it gets to OUT_FILE. Prints "published" and
// "received"; exits 0 when both happened, 1 on an error, 2 when 120 s passed.
'use strict';
const fs = require('fs');
const mqtt = require('mqtt');

const [port, qosText, topic, input, output] = process.argv.slice(2);
const qos = Number(qosText);
const url = 'mqtt://127.0.0.1:' + port;
const common = { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 30000, keepalive: 60 };
const payload = fs.readFileSync(input);
let published = false;
let received = false;
let pub = null;

const timer = setTimeout(() => {
  console.log('timeout: published=' + published + ' received=' + received);
  process.exit(2);
}, 120000);

function fail(where, err) {
  console.log(where + ' error: ' + (err && err.message ? err.message : err));
  process.exit(1);
}

function done() {
  if (!published || !received) return;
  clearTimeout(timer);
  sub.end(false, {}, () => pub.end(false, {}, () => process.exit(0)));
}

const sub = mqtt.connect(url, Object.assign({ clientId: 'js-sub-' + qos, clean: true }, common));
sub.on('error', (e) => fail('subscriber', e));
sub.on('message', (t, message) => {
  fs.writeFileSync(output, message);
  received = true;
  console.log('received ' + message.length);
  done();
});
sub.once('connect', () => {
  sub.subscribe(topic, { qos }, (err, granted) => {
    if (err) return fail('subscribe', err);
    if (!granted || granted[0].qos !== qos) return fail('subscribe', 'granted ' + JSON.stringify(granted));
    pub = mqtt.connect(url, Object.assign({ clientId: 'js-pub-' + qos, clean: true }, common));
    pub.on('error', (e) => fail('publisher', e));
    pub.once('connect', () => {
      pub.publish(topic, payload, { qos }, (e) => {
        if (e) return fail('publish', e);
        published = true;
        console.log('published ' + payload.length);
        done();
      });
    });
  });
});
