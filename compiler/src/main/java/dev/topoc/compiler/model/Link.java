package dev.topoc.compiler.model;

import dev.topoc.compiler.diag.Span;

/**
 * A cable: a veth pair, or a real cable when an end is physical. {@code mtu} and {@code subnet} are nullable;
 * {@code vni} and {@code port} (nullable) are the VXLAN VNI and UDP port of a link whose ends are on two
 * machines (docs/machines.md): absent, stitching allocates the VNI and uses port 4789.
 */
public record Link(Span span, IfRef a, IfRef b, Integer mtu, Cidr subnet, Integer vni, Integer port) {
    public Link(Span span, IfRef a, IfRef b, Integer mtu, Cidr subnet) {
        this(span, a, b, mtu, subnet, null, null);
    }
}
