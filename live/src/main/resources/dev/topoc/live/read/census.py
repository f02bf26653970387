# topoc plan/up: what the lean read does not read, counted in one process for every namespace of the lab
# (docs/live.md, "What is read"). For each namespace it enters (setns), it asks the kernel over netlink for the
# IPv6 policy rules (RTM_GETRULE, AF_INET6) and the nftables tables (NFT_MSG_GETTABLE), and prints one JSON object:
#   {"NAMESPACE": {"rules6": N, "tables": ["inet topoc", ...]}, ...}
# N counts the IPv6 rules other than the two every namespace starts with (0 local, 32766 main).
# usage: python3 -c SCRIPT NAMESPACE...   (NAMESPACE: a name under /run/netns; "" the default namespace)
import ctypes, json, os, socket, struct, sys

CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)
NLM_F_REQUEST, NLM_F_DUMP = 0x1, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
RTM_GETRULE = 34
FRA_PRIORITY, FRA_TABLE = 6, 15
NETLINK_NETFILTER = 12
NFT_GETTABLE = (10 << 8) | 1
NFTA_TABLE_NAME = 1
FAMILIES = {1: "inet", 2: "ip", 3: "arp", 5: "netdev", 7: "bridge", 10: "ip6"}


HOME = os.open("/proc/self/ns/net", os.O_RDONLY)  # the namespace this started in: the default one


def enter(path):
    fd = os.open(path, os.O_RDONLY) if path else HOME
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            e = ctypes.get_errno()
            raise OSError(e, os.strerror(e) + ": " + path)
    finally:
        if path:
            os.close(fd)


def dump(proto, msg_type, payload):
    """The payloads of every message of a netlink dump, each with its type."""
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, proto)
    try:
        s.bind((0, 0))
        s.send(struct.pack("=IHHII", 16 + len(payload), msg_type, NLM_F_REQUEST | NLM_F_DUMP, 1, 0) + payload)
        out = []
        while True:
            data = s.recv(1 << 16)
            off = 0
            while off + 16 <= len(data):
                length, kind, _flags, _seq, _pid = struct.unpack_from("=IHHII", data, off)
                if kind == NLMSG_DONE:
                    return out
                if kind == NLMSG_ERROR:
                    err = struct.unpack_from("=i", data, off + 16)[0]
                    if err == 0:
                        return out
                    raise OSError(-err, os.strerror(-err))
                out.append(data[off + 16:off + length])
                off += (length + 3) & ~3
    finally:
        s.close()


def attrs(body, start):
    a = {}
    off = start
    while off + 4 <= len(body):
        length, kind = struct.unpack_from("=HH", body, off)
        if length < 4:
            break
        a[kind & 0x3fff] = body[off + 4:off + length]
        off += (length + 3) & ~3
    return a


def rules6():
    n = 0
    for body in dump(socket.NETLINK_ROUTE, RTM_GETRULE, struct.pack("=BBBBBBBBI", 10, 0, 0, 0, 0, 0, 0, 0, 0)):
        family, dst_len, src_len, _tos, table, _r1, _r2, _action, _flags = struct.unpack_from("=BBBBBBBBI", body)
        a = attrs(body, 12)
        prio = struct.unpack("=I", a[FRA_PRIORITY])[0] if FRA_PRIORITY in a else 0
        table = struct.unpack("=I", a[FRA_TABLE])[0] if FRA_TABLE in a else table
        # a selector: FRA_DST 1, FRA_SRC 2, FRA_IIFNAME 3, FRA_FWMARK 10, FRA_OIFNAME 17 (the kernel adds others itself)
        plain = dst_len == 0 and src_len == 0 and not set(a) & {1, 2, 3, 10, 17}
        if not (plain and (prio, table) in ((0, 255), (32766, 254))):
            n += 1
    return n


def tables():
    out = []
    for body in dump(NETLINK_NETFILTER, NFT_GETTABLE, struct.pack("=BBH", 0, 0, 0)):
        a = attrs(body, 4)
        if NFTA_TABLE_NAME in a:
            out.append(FAMILIES.get(body[0], str(body[0])) + " " + a[NFTA_TABLE_NAME].rstrip(b"\0").decode())
    return out


result = {}
for ns in sys.argv[1:]:
    enter("/run/netns/" + ns if ns else "")
    result[ns] = {"rules6": rules6(), "tables": tables()}
print(json.dumps(result))
