#!/usr/bin/env python3
"""Start-up time with persistence (issue 13): ours (host/Broker.Host) vs Mosquitto `persistence true`.

For each broker: start it with an empty store folder, fill it over MQTT 3.1.1 with RETAINED retained QoS 1 messages
and SESSIONS persistent sessions (CleanSession 0, one subscription each, then DISCONNECT), stop it with SIGTERM (both
save on a clean stop: Mosquitto writes mosquitto.db, ours compacts the journal into its snapshot), then start it
again and measure from the spawn: (a) until the port accepts a TCP connection, (b) until a new client that subscribes
to the retained topics receives the first retained PUBLISH. Repeated RUNS times per broker, alternating brokers.

usage: startup_bench.py OURS_DLL [RUNS]
"""
import os, shutil, signal, socket, struct, subprocess, sys, tempfile, time

RETAINED = 10000
SESSIONS = 1000

def enc_str(s):
    b = s.encode()
    return struct.pack(">H", len(b)) + b

def enc_len(n):
    out = b""
    while True:
        d = n % 128
        n //= 128
        out += bytes([d | (0x80 if n else 0)])
        if not n:
            return out

def packet(t, body):
    return bytes([t]) + enc_len(len(body)) + body

def connect(cid, clean):
    body = enc_str("MQTT") + bytes([4, 0x02 if clean else 0x00]) + struct.pack(">H", 60) + enc_str(cid)
    return packet(0x10, body)

def read_packet(s):
    h = recv_n(s, 1)[0]
    mult, n = 1, 0
    while True:
        d = recv_n(s, 1)[0]
        n += (d & 127) * mult
        mult *= 128
        if not d & 128:
            break
    return h, recv_n(s, n)

def recv_n(s, n):
    buf = b""
    while len(buf) < n:
        part = s.recv(n - len(buf))
        if not part:
            raise EOFError("closed")
        buf += part
    return buf

def open_client(port, cid, clean):
    s = socket.create_connection(("127.0.0.1", port), timeout=60)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.sendall(connect(cid, clean))
    h, body = read_packet(s)
    assert h >> 4 == 2 and body[1] == 0, ("CONNACK", h, body)
    return s

def fill(port):
    s = open_client(port, "filler", True)
    window = 100
    sent = acked = 0
    while acked < RETAINED:
        while sent < RETAINED and sent - acked < window:
            pid = sent % 65535 + 1
            body = enc_str("ret/%05d" % sent) + struct.pack(">H", pid) + (b"v%05d" % sent).ljust(32, b".")
            s.sendall(packet(0x33, body))  # PUBLISH QoS 1 retain
            sent += 1
        h, _ = read_packet(s)
        if h >> 4 == 4:
            acked += 1
    s.sendall(b"\xe0\x00")
    s.close()
    for i in range(SESSIONS):
        c = open_client(port, "sess-%04d" % i, False)
        c.sendall(packet(0x82, struct.pack(">H", 1) + enc_str("sess/%04d/#" % i) + b"\x01"))
        h, _ = read_packet(c)
        assert h >> 4 == 9
        c.sendall(b"\xe0\x00")
        c.close()

def wait_port(port, deadline):
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            time.sleep(0.002)
    return False

def first_retained(port):
    s = open_client(port, "probe", True)
    s.sendall(packet(0x82, struct.pack(">H", 1) + enc_str("ret/#") + b"\x00"))
    while True:
        h, _ = read_packet(s)
        if h >> 4 == 3:
            s.close()
            return

def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p

def spawn(kind, conf, dll):
    cmd = ["mosquitto", "-c", conf] if kind == "mosquitto" else ["dotnet", dll, "-c", conf]
    # The log goes to a file: a pipe nobody reads would fill and stop the broker.
    log = open(conf + ".log", "w")
    p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    p.log_path = conf + ".log"
    return p

def stop(p):
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=120)
    return open(p.log_path, errors="replace").read()

def run(kind, dll, fsync):
    d = tempfile.mkdtemp(prefix="startup-bench-")
    port = free_port()
    conf = os.path.join(d, "broker.conf")
    lines = ["listener %d 127.0.0.1" % port, "allow_anonymous true", "persistence true",
             "persistence_location %s/" % d, "autosave_interval 1800", "max_queued_messages 1000"]
    if kind == "ours":
        lines.append("fsync " + fsync)
    else:
        # Started as root, Mosquitto would switch to its own user, who cannot write the 0700 store folder.
        lines.append("user root")
    open(conf, "w").write("\n".join(lines) + "\n")
    t_empty = time.monotonic()
    p = spawn(kind, conf, dll)
    assert wait_port(port, time.monotonic() + 60), kind + " did not listen"
    t_empty = time.monotonic() - t_empty
    fill(port)
    stop(p)
    size = sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d) if f.startswith("mosquitto.db") and not f.endswith(".log"))
    t0 = time.monotonic()
    p = spawn(kind, conf, dll)
    assert wait_port(port, t0 + 120), kind + " did not listen after restart"
    t_port = time.monotonic() - t0
    first_retained(port)
    t_first = time.monotonic() - t0
    out = stop(p)
    restored = [l.split(": ", 1)[-1] for l in out.splitlines() if "Restored from" in l]
    shutil.rmtree(d, ignore_errors=True)
    return t_port, t_first, size, restored[:1], t_empty

def main():
    dll = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    print("load average before:", os.getloadavg())
    results = {}
    for r in range(runs):
        for kind, fsync in (("ours", "batch"), ("mosquitto", None)):
            t_port, t_first, size, note, t_empty = run(kind, dll, fsync)
            results.setdefault(kind, []).append((t_port, t_first, t_empty))
            print("%s run %d: empty store: port accepts %.0f ms; full store: port accepts %.0f ms, first retained %.0f ms, store %d B %s"
                  % (kind, r + 1, t_empty * 1000, t_port * 1000, t_first * 1000, size, note))
    print("load average after:", os.getloadavg())
    for kind, v in results.items():
        ports = sorted(x[0] for x in v)
        firsts = sorted(x[1] for x in v)
        empties = sorted(x[2] for x in v)
        print("%s median: empty store port %.0f ms; full store port %.0f ms, first retained %.0f ms (runs %d)"
              % (kind, empties[len(empties) // 2] * 1000, ports[len(ports) // 2] * 1000, firsts[len(firsts) // 2] * 1000, len(v)))

if __name__ == "__main__":
    main()
