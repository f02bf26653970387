# A test client: connects (TCP) or sends a datagram (UDP) and prints what the listener answers with (a
# sandbox stand-in answers with its node's name). Exit 0 when the connection was accepted (tcp, even
# without an answer: a `run` server may wait for a request) or an answer came (udp), 1 otherwise.
# usage: python3 client.py ADDRESS PORT tcp|udp
import socket
import sys

addr, port, proto = sys.argv[1], int(sys.argv[2]), sys.argv[3]
family = socket.AF_INET6 if ":" in addr else socket.AF_INET
try:
    if proto == "tcp":
        s = socket.create_connection((addr, port), timeout=1.5)
        s.settimeout(1.5)
        try:
            print(s.recv(100).decode(errors="replace"))
        except socket.timeout:
            print("(connected; no answer)")
    else:
        s = socket.socket(family, socket.SOCK_DGRAM)
        s.settimeout(1.5)
        s.sendto(b"x", (addr, port))
        print(s.recvfrom(100)[0].decode())
except OSError as e:
    print("no answer:", e)
    sys.exit(1)
