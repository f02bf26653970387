import selectors, socket, sys
sel = selectors.DefaultSelector()
name = sys.argv[1].encode()
for spec in sys.argv[2:]:
    proto, rest = spec.split("/", 1)
    ports, _, addr = rest.partition("@")
    lo, _, hi = ports.partition("-")
    kind = socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM
    for port in range(int(lo), int(hi or lo) + 1):
        if addr:
            s = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET, kind)
            s.setsockopt(socket.SOL_IP, 15, 1)  # IP_FREEBIND: an IPv6 address may still be tentative
            if ":" in addr:
                s.setsockopt(socket.IPPROTO_IPV6, 78, 1)  # IPV6_FREEBIND
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((addr, port))
        else:
            try:
                s = socket.socket(socket.AF_INET6, kind)
                s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(("::", port))
            except OSError:
                s = socket.socket(socket.AF_INET, kind)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(("", port))
        if kind == socket.SOCK_STREAM:
            s.listen(64)
        elif not addr:
            # a service answers a datagram from the address it was sent to, as DNS servers do (IP_PKTINFO): a reply
            # left to the route back would leave from another address of a node with several (the kernel agreement
            # property found it: a masquerading router then has no connection for it and answers port unreachable)
            s.setsockopt(socket.SOL_IP, 8, 1)  # IP_PKTINFO
            if s.family == socket.AF_INET6:
                s.setsockopt(socket.IPPROTO_IPV6, 49, 1)  # IPV6_RECVPKTINFO
        sel.register(s, selectors.EVENT_READ, proto)


def source(s, anc):
    """The ancillary data that sends a reply from the address the datagram came to (none for a bound socket)."""
    for level, kind, data in anc:
        if level == socket.SOL_IP and kind == 8:  # in_pktinfo: ifindex, spec_dst, addr (the header's destination)
            dst = data[8:12]
            if s.family == socket.AF_INET6:
                return [(socket.IPPROTO_IPV6, 50, bytes(10) + b"\xff\xff" + dst + bytes(4))]  # IPV6_PKTINFO, v4-mapped
            return [(socket.SOL_IP, 8, bytes(4) + dst + bytes(4))]
        if level == socket.IPPROTO_IPV6 and kind == 50:  # in6_pktinfo: addr, ifindex
            return [(socket.IPPROTO_IPV6, 50, data[:16] + bytes(4))]
    return []


print("listening", " ".join(sys.argv[2:]), flush=True)
while True:
    for key, _ in sel.select():
        s = key.fileobj
        try:
            if key.data == "tcp":
                c = s.accept()[0]
                c.sendall(name)
                c.close()
            else:
                data, anc, _, peer = s.recvmsg(65535, 256)
                s.sendmsg([name], source(s, anc), 0, peer)
        except OSError:
            pass
