#!/usr/bin/env python3
"""gen-topology.py N, plus a routed core for the routing-loop check: every switch forwards, is cabled to
a core router, and routes R destination prefixes (198.18.x.y/32) via the core, but for the ones it owns
(k mod switches), which it ends with a blackhole route; the core routes each prefix to its owner. About
(N/1000 + 1) * R routes; no loop, so validation must stay silent.

usage: gen-routed.py N R > topo.topo"""
import subprocess
import sys

n, r = int(sys.argv[1]), int(sys.argv[2])
base = subprocess.run([sys.executable, __file__.replace("gen-routed.py", "gen-topology.py"), str(n)],
                      check=True, capture_output=True, text=True).stdout
switches = (n + 999) // 1000
out = [base, "node core {\n  forwarding\n"]
for s in range(switches):
    out.append(f"  iface d{s} {{ address 172.16.{s}.1/30 }}\n")
for k in range(r):
    owner = k % switches
    out.append(f"  route 198.{18 + k // 65536}.{(k // 256) % 256}.{k % 256}/32 via 172.16.{owner}.2\n")
out.append("}\n")
for s in range(switches):
    out.append(f"node sw{s}x {{\n  forwarding\n  iface u {{ address 172.16.{s}.2/30 }}\n")
    for k in range(s, r, switches):
        out.append(f"  route blackhole 198.{18 + k // 65536}.{(k // 256) % 256}.{k % 256}/32\n")
    for k in range(r):
        if k % switches == s:
            continue
        out.append(f"  route 198.{18 + k // 65536}.{(k // 256) % 256}.{k % 256}/32 via 172.16.{s}.1\n")
    out.append("}\n")
    out.append(f"link core:d{s} -- sw{s}x:u\n")
sys.stdout.write("".join(out))
