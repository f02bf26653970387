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
        elif s.family == socket.AF_INET6:
            s.setsockopt(socket.IPPROTO_IPV6, 49, 1)  # IPV6_RECVPKTINFO: answer from the address asked (below)
        else:
            s.setsockopt(socket.SOL_IP, 8, 1)  # IP_PKTINFO
        sel.register(s, selectors.EVENT_READ, proto)
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
                # from the address the datagram was sent to, as a server answering on every address should (a
                # plain sendto would leave with the source the routing picks for the asker: another address of a
                # node with several, which a firewall or the asker may refuse); IPv4 on the dual-stack socket too.
                # in6_pktinfo: address, ifindex (0: the routing picks the device); in_pktinfo: ifindex, spec_dst, addr
                data, anc, _, peer = s.recvmsg(65535, 256)
                back = [(lvl, typ, (d[:16] + bytes(4)) if typ == 50 else (bytes(4) + d[8:12] + bytes(4)))
                        for lvl, typ, d in anc if (lvl, typ) in ((socket.IPPROTO_IPV6, 50), (socket.SOL_IP, 8))]
                s.sendmsg([name], back, 0, peer)
        except OSError:
            pass
