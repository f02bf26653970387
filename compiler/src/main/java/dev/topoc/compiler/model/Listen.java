package dev.topoc.compiler.model;

import dev.topoc.compiler.diag.Span;
import inet.ipaddr.IPAddress;

/**
 * A port where a process of the node accepts connections ({@code listen tcp 80}); {@code on} is the one
 * address it is bound to, or null for every address of the node (a wildcard bind).
 */
public record Listen(Span span, Proto proto, PortRange ports, IPAddress on) {
    /** Whether a packet of this protocol to this port and local address is accepted. */
    public boolean accepts(Proto p, int port, IPAddress address) {
        return proto == p && ports.contains(port)
                && (on == null || address == null || on.withoutPrefixLength().equals(address.withoutPrefixLength()));
    }

    /** As written in the DSL after {@code listen}: {@code tcp 80}, {@code udp 53 on 10.0.0.10}. */
    @Override
    public String toString() {
        return proto.word() + " " + ports + (on == null ? "" : " on " + on.toCanonicalString());
    }
}
