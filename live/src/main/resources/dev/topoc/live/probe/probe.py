# topoc check --live: one probe of one `expect`, run as root from the default namespace (docs/live.md,
# "check --live"). It reads the kernel's counters of every namespace of the lab, enters the source
# namespace, sends the probe, reads the counters again and prints one JSON object: what the probe saw
# and, per namespace, by how much each counter grew. Needs only python3 (and ping for icmp).
# usage: python3 -c SCRIPT SOURCE PROTO ADDRESS PORT SIZE DF NAMESPACE...
#   SOURCE, NAMESPACE: /run/netns/NAME, or /proc/1/ns/net for the default namespace
#   PROTO: icmp | tcp | udp;  PORT: tcp/udp port (0 for icmp);  SIZE: ping -s;  DF: 1 = ping -M do
import ctypes, errno, json, os, socket, subprocess, sys

CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)
source, proto, address, port, size, df = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6] == "1"
spaces = sys.argv[7:]


def enter(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            e = ctypes.get_errno()
            raise OSError(e, os.strerror(e) + ": " + path)
    finally:
        os.close(fd)


def counters():
    """The counters of the current namespace that say what happened to a probe there."""
    c = {}
    with open("/proc/self/net/snmp") as f:
        lines = f.read().splitlines()
    for head, values in zip(lines[0::2], lines[1::2]):
        group = head.split(":")[0]
        for k, v in zip(head.split()[1:], values.split()[1:]):
            c[group + k] = int(v)
    try:
        with open("/proc/self/net/snmp6") as f:
            for line in f:
                k, v = line.split()
                c[k] = int(v)
    except OSError:
        pass  # no IPv6
    rx = 0
    with open("/proc/self/net/dev") as f:
        for line in f.read().splitlines()[2:]:
            name, data = line.split(":", 1)
            if name.strip() != "lo":
                rx += int(data.split()[1])
    return {
        "echo": c.get("IcmpInEchos", 0) + c.get("Icmp6InEchos", 0),
        "accept": c.get("TcpPassiveOpens", 0),
        "delivered": c.get("UdpInDatagrams", 0) + c.get("Udp6InDatagrams", 0),
        "reset": c.get("TcpOutRsts", 0),
        "noport": c.get("UdpNoPorts", 0) + c.get("Udp6NoPorts", 0),
        "forwarded": c.get("IpForwDatagrams", 0) + c.get("Ip6OutForwDatagrams", 0),
        "rx": rx,
    }


def all_counters():
    out = {}
    for s in spaces:
        enter(s)
        out[s] = counters()
    return out


def why(e):
    return errno.errorcode.get(e.errno, "error") + " (" + (e.strerror or str(e)) + ")" if e.errno else str(e)


def probe():
    """(verdict, detail, replies): reached | refused | silent | unreachable | error."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    if proto == "icmp":
        cmd = ["ping", "-n", "-c2", "-i0.2", "-W1", "-w3"]
        if size != 56 or df:
            cmd += ["-s", str(size), "-M", "do" if df else "dont"]
        r = subprocess.run(cmd + [address], capture_output=True, text=True)
        lines = [l for l in (r.stdout + r.stderr).splitlines() if l.strip() and not l.startswith("PING ") and not l.startswith("---")]
        detail = " | ".join(lines[-3:])
        if r.returncode == 0:
            return ("reached", detail, 0)
        return ("unreachable" if "connect:" in r.stderr else "silent", detail, 0)
    if proto == "tcp":
        s = socket.socket(family, socket.SOCK_STREAM)
        s.settimeout(2.0)
        try:
            s.connect((address, port))
        except ConnectionRefusedError:
            return ("refused", "connection refused (reset)", 0)
        except socket.timeout:
            return ("silent", "no answer to the SYN in 2 s (dropped)", 0)
        except OSError as e:
            return ("unreachable", why(e), 0)
        s.settimeout(1.0)
        try:
            answer = s.recv(100).decode(errors="replace").strip()
        except OSError:
            answer = ""
        s.close()
        return ("reached", "connected" + (", answered " + json.dumps(answer) if answer else ""), 1)
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.settimeout(1.0)
    try:
        s.connect((address, port))
        for attempt in range(2):
            s.send(b"topoc check --live\n")
            try:
                answer = s.recv(100).decode(errors="replace").strip()
                return ("reached", "answered " + json.dumps(answer), 1)
            except socket.timeout:
                continue
        return ("silent", "no answer in 2 s", 0)
    except ConnectionRefusedError:
        return ("refused", "port unreachable (ICMP)", 0)
    except OSError as e:
        return ("unreachable", why(e), 0)


try:
    before = all_counters()
    enter(source)
    verdict, detail, replies = probe()
    after = all_counters()
except OSError as e:
    print(json.dumps({"verdict": "error", "detail": why(e), "replies": 0, "deltas": {}}))
    sys.exit(0)
deltas = {s: {k: after[s][k] - before[s][k] for k in before[s]} for s in spaces}
print(json.dumps({"verdict": verdict, "detail": detail, "replies": replies, "deltas": deltas}))
