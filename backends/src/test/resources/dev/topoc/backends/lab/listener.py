# A test listener: answers every TCP connection and UDP datagram on the given ports with the node's name,
# so a probe can tell which namespace finally received it (DNAT `lands`). Exits after LIFETIME seconds.
# usage: python3 listener.py NAME PORT[,PORT...] LIFETIME
import selectors
import socket
import sys
import time

name, ports, lifetime = sys.argv[1], [int(p) for p in sys.argv[2].split(",")], float(sys.argv[3])
sel = selectors.DefaultSelector()
for port in ports:
    for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
        s = socket.socket(socket.AF_INET6, kind)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        s.bind(("::", port))
        if kind == socket.SOCK_STREAM:
            s.listen(16)
        sel.register(s, selectors.EVENT_READ, kind)
print("ready", flush=True)
end = time.time() + lifetime
while time.time() < end:
    for key, _ in sel.select(timeout=0.5):
        s = key.fileobj
        try:
            if key.data == socket.SOCK_STREAM:
                c, _ = s.accept()
                c.sendall(name.encode())
                c.close()
            else:
                _, addr = s.recvfrom(100)
                s.sendto(name.encode(), addr)
        except OSError:
            pass
