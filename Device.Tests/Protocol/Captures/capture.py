#!/usr/bin/env python3
"""Loopback-only MQTT capture: a TCP proxy between mosquitto clients and a mosquitto broker.
Usage: capture.py LISTEN_PORT BROKER_PORT LOGFILE. Every connection's bytes are split into MQTT packets
(fixed header framing) and logged as 'conn dir hex', dir being C>S (client to server) or S>C."""
import socket, sys, threading

LISTEN, BROKER, LOG = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
lock = threading.Lock()
counter = [0]

def frames(buf):
    out = []
    while len(buf) >= 2:
        mult, val, i = 1, 0, 1
        while True:
            if i >= len(buf):
                return out, buf
            b = buf[i]; val += (b & 0x7F) * mult; mult *= 128; i += 1
            if not b & 0x80:
                break
        if len(buf) < i + val:
            return out, buf
        out.append(buf[:i + val]); buf = buf[i + val:]
    return out, buf

def pump(src, dst, conn, direction):
    pending = b''
    while True:
        try:
            data = src.recv(65536)
        except OSError:
            data = b''
        if not data:
            try: dst.shutdown(socket.SHUT_WR)
            except OSError: pass
            return
        pending += data
        pkts, pending = frames(pending)
        with lock, open(LOG, 'a') as f:
            for p in pkts:
                f.write('%d %s %s\n' % (conn, direction, p.hex()))
        dst.sendall(data)

srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(('127.0.0.1', LISTEN)); srv.listen(16)
while True:
    c, _ = srv.accept()
    counter[0] += 1
    b = socket.create_connection(('127.0.0.1', BROKER))
    threading.Thread(target=pump, args=(c, b, counter[0], 'C>S'), daemon=True).start()
    threading.Thread(target=pump, args=(b, c, counter[0], 'S>C'), daemon=True).start()
