package dev.topoc.backends.sim;

/**
 * ICMP errors as the kernel generates them (icmp_send): the kind, the node that sends it, the offending packet
 * as that node saw it, and the error's source address. Measured on this kernel
 * ({@code net.ipv4.icmp_errors_use_inbound_ifaddr} 0): for a packet to one of the node's own addresses
 * (a port unreachable, a {@code reject} in {@code input}) the source is that address; otherwise it is the
 * source the node would choose to send to the offending packet's source (the route's {@code src}, else
 * the outgoing device's address), not the address of the interface the packet arrived on. Rate limits
 * ({@code icmp_ratelimit}, {@code route.error_cost}) are not modelled: every error is sent.
 */
final class Icmp {
    private Icmp() {}

    /** What the error says, and the marker {@code traceroute} prints for it. */
    enum Kind {
        /** TTL exceeded in transit (a forwarding node whose packet's TTL runs out). */
        TIME_EXCEEDED("time-exceeded", ""),
        /** No route (ip_error ENETUNREACH). */
        NET_UNREACH("net-unreachable", "!N"),
        /** An {@code unreachable} route, or a next hop that does not answer ARP (ipv4_link_failure). */
        HOST_UNREACH("host-unreachable", "!H"),
        /** A {@code prohibit} route (ip_error EACCES: communication administratively prohibited). */
        ADMIN_PROHIBITED("admin-prohibited", "!X"),
        /** UDP to a port nothing listens on, and nftables' {@code reject} in an inet table (icmpx port-unreachable). */
        PORT_UNREACH("port-unreachable", ""),
        /** DF set and the outgoing device's MTU smaller than the packet. */
        FRAG_NEEDED("frag-needed", "!F");

        final String word;
        final String marker;

        Kind(String word, String marker) {
            this.word = word;
            this.marker = marker;
        }
    }

    /**
     * An error {@code node} generates about {@code offending} (a copy of its header as seen there), which arrived on
     * {@code in} (null: sent by the node itself); {@code mtu} for frag needed; {@code why} the drop reason.
     */
    record Generated(NodeState node, Dev in, Kind kind, Walk.Pkt offending, int mtu, String why) {
        /** traceroute's marker: {@code !N}, {@code !H}, {@code !X}, {@code !F-1400}, or empty. */
        String marker() {
            return kind == Kind.FRAG_NEEDED ? "!F-" + mtu : kind.marker;
        }
    }

    /** The error's source address as icmp_send chooses it (see the class comment); null when the node has none. */
    static Addr source(Generated g) {
        Walk.Pkt o = g.offending();
        if (g.node().isLocal(o.dst)) {
            return o.dst;
        }
        Walk.Lookup back = Walk.route(g.node(), o.src, null, "lo");
        if (back.route() == null) {
            return null;
        }
        return Walk.chooseSource(g.node(), back.route(), o.src);
    }

    /** The error packet, ready to be sent by {@link Walk#output} from the generating node. */
    static Walk.Pkt packet(Generated g, Addr src) {
        Walk.Pkt e = new Walk.Pkt();
        e.src = src;
        e.dst = g.offending().src;
        e.proto = dev.topoc.compiler.model.Proto.ICMP;
        e.error = g.kind();
        e.inner = g.offending();
        e.len = Math.min(576, 28 + g.offending().len);
        return e;
    }

    /** The header of {@code p} as it is now (what an error quotes). */
    static Walk.Pkt copy(Walk.Pkt p) {
        Walk.Pkt c = new Walk.Pkt();
        c.src = p.src;
        c.dst = p.dst;
        c.proto = p.proto;
        c.sport = p.sport;
        c.dport = p.dport;
        c.len = p.len;
        c.df = p.df;
        c.ttl = p.ttl;
        c.connected = p.connected;
        c.response = p.response;
        return c;
    }
}
