#!/usr/bin/env python3
"""Routed topologies where no two nodes are alike (no host classes to collapse), for `simulate --matrix`.

  gen-fabric.py tree DEPTH            a binary tree of 2^DEPTH - 1 forwarding routers: each has a /32
                                      loopback, routes to its two subtrees' aggregates via the children, a
                                      blackhole for its own aggregate and a default route up; every pair
                                      reaches (DEPTH 10: 1,023 routers, 1,045,506 pairs)
  gen-fabric.py leafspine S L H       S spines, L leaves, H routed hosts per leaf (each on its own /30 to
                                      its leaf, default via it); leaves blackhole their own /16 and default to spine 1 (metric 10) and
                                      the other spines (metric 20 + s), and each spine's link /16 to that spine, spines route each leaf's /16 to it;
                                      every pair reaches

Addresses of the tree: node with path bits p (root: empty) owns the aggregate 10.0.0.0/8 narrowed by "1"+bit
per level, so a child's aggregate is P+"10" or P+"11"; its loopback is in P+"00", its uplink /30 in P+"01"."""
import ipaddress
import sys


def tree(depth):
    out = [f"topology tree-{depth}\n"]
    agg = {}

    def walk(path):
        bits = "".join("1" + b for b in path)
        agg[path] = (int(bits.ljust(24, "0"), 2) if bits else 0, 8 + len(bits))
        if len(path) < depth - 1:
            walk(path + "0")
            walk(path + "1")

    walk("")

    def addr(path, sub, host):
        base, plen = agg[path]
        return str(ipaddress.IPv4Address((10 << 24) + base + (sub << (32 - plen - 2)) + host)), plen

    def name(path):
        return "r" + (path or "root")

    for path in sorted(agg, key=lambda p: (len(p), p)):
        lo, _ = addr(path, 0, 1)
        out.append(f"node {name(path)} {{\n  forwarding\n  iface lo {{ address {lo}/32 }}\n")
        if path:
            up, _ = addr(path, 1, 2)
            out.append(f"  iface up {{ address {up}/30 }}\n")
        for b in "01":
            child = path + b
            if child in agg:
                mine, _ = addr(child, 1, 1)
                out.append(f"  iface d{b} {{ address {mine}/30 }}\n")
        for b in "01":
            child = path + b
            if child in agg:
                gw, _ = addr(child, 1, 2)
                base, plen = agg[child]
                net = ipaddress.IPv4Address((10 << 24) + base)
                out.append(f"  route {net}/{plen} via {gw}\n")
        base, plen = agg[path]
        out.append(f"  route blackhole {ipaddress.IPv4Address((10 << 24) + base)}/{plen}\n")
        if path:
            gw, _ = addr(path, 1, 1)
            out.append(f"  route default via {gw}\n")
        out.append("}\n")
    for path in sorted(agg, key=lambda p: (len(p), p)):
        if path:
            out.append(f"link {name(path[:-1])}:d{path[-1]} -- {name(path)}:up\n")
    return "".join(out)


def leafspine(spines, leaves, hosts):
    out = [f"topology leafspine-{spines}-{leaves}-{hosts}\n"]
    links = []
    for s in range(spines):
        out.append(f"node spine{s} {{\n  forwarding\n  iface lo {{ address 10.255.{s}.1/32 }}\n")
        for l in range(leaves):
            out.append(f"  iface l{l} {{ address 172.{16 + s}.{l}.1/30 }}\n")
        for l in range(leaves):
            out.append(f"  route 10.{l}.0.0/16 via 172.{16 + s}.{l}.2\n")
        out.append("}\n")
    for l in range(leaves):
        out.append(f"node leaf{l} {{\n  forwarding\n  iface lo {{ address 10.{l}.255.1/32 }}\n")
        for s in range(spines):
            out.append(f"  iface s{s} {{ address 172.{16 + s}.{l}.2/30 }}\n")
            links.append(f"link spine{s}:l{l} -- leaf{l}:s{s}\n")
        for h in range(hosts):
            out.append(f"  iface h{h} {{ address 10.{l}.{h}.1/30 }}\n")
        out.append(f"  route blackhole 10.{l}.0.0/16\n")
        for s in range(spines):
            out.append(f"  route 172.{16 + s}.0.0/16 via 172.{16 + s}.{l}.1\n")
        for s in range(spines):
            out.append(f"  route default via 172.{16 + s}.{l}.1 metric {10 if s == 0 else 20 + s}\n")
        out.append("}\n")
        for h in range(hosts):
            out.append(f"node h{l}x{h} {{\n  iface eth0 {{ address 10.{l}.{h}.2/30 }}\n  route default via 10.{l}.{h}.1\n}}\n")
            links.append(f"link leaf{l}:h{h} -- h{l}x{h}:eth0\n")
    return "".join(out + links)


if __name__ == "__main__":
    kind = sys.argv[1] if len(sys.argv) > 1 else ""
    if kind == "tree" and len(sys.argv) == 3:
        sys.stdout.write(tree(int(sys.argv[2])))
    elif kind == "leafspine" and len(sys.argv) == 5:
        sys.stdout.write(leafspine(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])))
    else:
        sys.exit(__doc__)
