# topoc check --live: the probes of `expect`s, run as root (docs/live.md, "check --live"). Needs only python3 (and
# ping for icmp). A NAMESPACE or SOURCE is a path (/run/netns/NAME, /proc/1/ns/net), a name under /run/netns, or "-":
# the namespace this program started in (on a machine of check.yml, the machine's own). The counters of a namespace
# are one JSON object: echo, accept, delivered, reset, noport, forwarded, and rx: {INTERFACE: packets received}.
#
# On one host (LiveCheck), one process per expect, from the default namespace:
#   python3 -c SCRIPT SOURCE PROTO ADDRESS PORT SIZE DF NAMESPACE...
#   reads the counters of every NAMESPACE, enters SOURCE, sends the probe, reads the counters again and prints one
#   JSON object: what the probe saw and, per namespace, by how much each counter grew.
# On the machines (check.yml runs each step on every machine before any machine starts the next), two steps, each
# printing one line "topoc-probe JSON":
#   probe.py --counters K SSH NAMESPACE...               {"k": K, "counters": {NAMESPACE: {...}}}, or when a namespace
#       cannot be read {"k": K, "counters": {}, "error": WHY}. SSH: the address the controller reaches this machine
#       at; the interfaces that hold it are left out of "-"'s rx (the playbook's own ssh traffic arrives there)
#   probe.py --send K SOURCE PROTO ADDRESS PORT SIZE DF  {"k": K, "verdict": ..., "detail": ..., "replies": N}
#   PROTO: icmp | tcp | udp;  PORT: tcp/udp port (0 for icmp);  SIZE: ping -s;  DF: 1 = ping -M do
import ctypes, errno, ipaddress, json, os, socket, subprocess, sys

CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)
fds = {}


def path_of(ns):
    return ns if ns.startswith("/") else "/proc/self/ns/net" if ns == "-" else "/run/netns/" + ns


def open_all(names):
    """Opens every namespace first, so that "-" is the one this process started in."""
    for n in names:
        if n not in fds:
            try:
                fds[n] = os.open(path_of(n), os.O_RDONLY)
            except OSError as e:
                fds[n] = e


def enter(ns):
    fd = fds[ns]
    if isinstance(fd, OSError):
        raise fd
    if libc.setns(fd, CLONE_NEWNET) != 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e) + ": " + path_of(ns))


def counters(skip=()):
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
    rx = {}
    with open("/proc/self/net/dev") as f:
        for line in f.read().splitlines()[2:]:
            name, data = line.split(":", 1)
            if name.strip() != "lo" and name.strip() not in skip:
                rx[name.strip()] = int(data.split()[1])
    return {
        "echo": c.get("IcmpInEchos", 0) + c.get("Icmp6InEchos", 0),
        "accept": c.get("TcpPassiveOpens", 0),
        "delivered": c.get("UdpInDatagrams", 0) + c.get("Udp6InDatagrams", 0),
        "reset": c.get("TcpOutRsts", 0),
        "noport": c.get("UdpNoPorts", 0) + c.get("Udp6NoPorts", 0),
        "forwarded": c.get("IpForwDatagrams", 0) + c.get("Ip6OutForwDatagrams", 0),
        "rx": rx,
    }


def all_counters(spaces, skip=()):
    out = {}
    for s in spaces:
        enter(s)
        out[s] = counters(skip if s == "-" else ())
    return out


def holding(address):
    """The interfaces of this namespace that hold `address` (none when it is not an address)."""
    try:
        want = ipaddress.ip_address(address)
        r = subprocess.run(["ip", "-j", "address", "show"], capture_output=True, text=True)
        return {l["ifname"] for l in json.loads(r.stdout or "[]")
                for a in l.get("addr_info", []) if ipaddress.ip_address(a.get("local", "::")) == want}
    except (ValueError, OSError):
        return set()


def why(e):
    return errno.errorcode.get(e.errno, "error") + " (" + (e.strerror or str(e)) + ")" if e.errno else str(e)


def probe(proto, address, port, size, df):
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


def send(source, proto, address, port, size, df):
    """One probe from `source`: {verdict, detail, replies}."""
    try:
        enter(source)
        verdict, detail, replies = probe(proto, address, port, size, df)
    except OSError as e:
        return {"verdict": "error", "detail": why(e), "replies": 0}
    return {"verdict": verdict, "detail": detail, "replies": replies}


def say(k, entry):
    print("topoc-probe " + json.dumps(dict({"k": k}, **entry), sort_keys=True), flush=True)


def delta(after, before):
    """after - before, counter by counter (rx interface by interface; an interface that appeared counts from 0)."""
    out = {k: after[k] - before[k] for k in after if k != "rx"}
    out["rx"] = {i: n - before["rx"].get(i, 0) for i, n in after["rx"].items()}
    return out


def probe_args(a):
    """PORT SIZE DF: the probe's numbers."""
    return int(a[0]), int(a[1]), a[2] == "1"


if len(sys.argv) > 1 and sys.argv[1] == "--counters":
    k, ssh, spaces = int(sys.argv[2]), sys.argv[3], sys.argv[4:]
    open_all(spaces)
    skip = holding(ssh)  # in the namespace this process started in: "-"
    try:
        say(k, {"counters": all_counters(spaces, skip)})
    except OSError as e:
        say(k, {"counters": {}, "error": why(e)})
elif len(sys.argv) > 1 and sys.argv[1] == "--send":
    k, source = int(sys.argv[2]), sys.argv[3]
    open_all([source])
    say(k, send(source, sys.argv[4], sys.argv[5], *probe_args(sys.argv[6:])))
else:
    source, proto, address = sys.argv[1], sys.argv[2], sys.argv[3]
    spaces = sys.argv[7:]
    open_all([source] + spaces)
    try:
        before = all_counters(spaces)
        sent = send(source, proto, address, *probe_args(sys.argv[4:7]))
        after = all_counters(spaces)
    except OSError as e:
        print(json.dumps({"verdict": "error", "detail": why(e), "replies": 0, "deltas": {}}))
        sys.exit(0)
    deltas = {s: delta(after[s], before[s]) for s in spaces}
    print(json.dumps(dict(sent, deltas=deltas)))
