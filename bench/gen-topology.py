#!/usr/bin/env python3
"""Writes a DSL topology of N hosts for benchmarks: hosts in groups of up to 1,000, each group on one
switch node's bridge, every host and link written out explicitly (no ranges), so the parser, resolver
and validator see N nodes, about 2N interfaces and N links.

usage: gen-topology.py N > topo.topo"""
import sys

n = int(sys.argv[1])
group = 1000  # switch s serves 10.s.0.0/16; at most 256 switches (256,000 hosts)
out = sys.stdout
out.write(f"topology bench-{n}\n\n")
switches = (n + group - 1) // group
for s in range(switches):
    out.write(f"node sw{s} {{\n  bridge br0 {{ address 10.{s}.0.1/16 }}\n")
    # one bridge per switch; ports are created by the links below and enslaved here
    for h in range(s * group, min(n, (s + 1) * group)):
        out.write(f"  iface p{h} {{ master br0 }}\n")
    out.write("}\n\n")
for h in range(n):
    s = h // group
    i = h % group + 2
    out.write(f"node h{h} {{\n  iface eth0 {{ address 10.{s}.{i // 256}.{i % 256}/16 }}\n"
              f"  route default via 10.{s}.0.1\n}}\n")
for h in range(n):
    out.write(f"link h{h}:eth0 -- sw{h // group}:p{h}\n")
