package dev.topoc.backends.sim;

/**
 * ICMP and ICMPv6 errors as the kernel generates them (icmp_send, icmp6_send): the kind, the node that sends it,
 * the offending packet as that node saw it, and the error's source address. Measured on this kernel
 * ({@code net.ipv4.icmp_errors_use_inbound_ifaddr} 0): for a packet to one of the node's own addresses
 * (a port unreachable, a {@code reject} in {@code input}) the source is that address; otherwise it is the
 * source the node would choose to send to the offending packet's source (the route's {@code src}, else
 * the outgoing device's address; IPv6: RFC 6724 source selection, {@link Ipv6Source}), not the address of the
 * interface the packet arrived on. Rate limits ({@code icmp_ratelimit}, {@code route.error_cost},
 * {@code net.ipv6.icmp.ratelimit}) are not modelled: every error is sent.
 */
final class Icmp {
    private Icmp() {}

    /**
     * What the error says (IPv4 and ICMPv6 words), and the marker {@code traceroute} prints for it. The ICMPv6
     * type/code of each, measured: time exceeded 3/0, no route 1/0 (also an {@code unreachable} route: ip6_pkt_discard
     * sends code 0, not 6, so traceroute prints {@code !N} where IPv4 prints {@code !H}), admin prohibited 1/1,
     * address unreachable 1/3 (a neighbour that does not answer), port unreachable 1/4, packet too big 2, beyond scope 1/2
     * (a link-local source forwarded off its link). Codes 5 and 6 this kernel never sends for what the language writes.
     */
    enum Kind {
        /** TTL exceeded in transit (a forwarding node whose packet's TTL or hop limit runs out). */
        TIME_EXCEEDED("time-exceeded", "time-exceeded", ""),
        /** No route (ip_error ENETUNREACH); IPv6 also an {@code unreachable} route (ICMPv6 no route, code 0). */
        NET_UNREACH("net-unreachable", "no-route", "!N"),
        /** An {@code unreachable} route (IPv4), or a next hop that does not answer ARP or neighbour discovery (ICMPv6 address unreachable, code 3). */
        HOST_UNREACH("host-unreachable", "address-unreachable", "!H"),
        /** A {@code prohibit} route (ip_error EACCES, ip6_pkt_prohibit: communication administratively prohibited, ICMPv6 code 1). */
        ADMIN_PROHIBITED("admin-prohibited", "admin-prohibited", "!X"),
        /** UDP to a port nothing listens on, and nftables' {@code reject} in an inet table (icmpx port-unreachable; ICMPv6 code 4). */
        PORT_UNREACH("port-unreachable", "port-unreachable", ""),
        /** DF set (IPv6: any forwarded packet, routers never fragment) and the outgoing device's MTU smaller than the packet. */
        FRAG_NEEDED("frag-needed", "packet-too-big", "!F"),
        /**
         * IPv6 only: a packet with a link-local source that would leave by another interface than it came in on
         * (ip6_forward; ICMPv6 destination unreachable code 2, "Beyond scope of source address" in ping; traceroute
         * prints {@code !H} for it, measured).
         */
        BEYOND_SCOPE("beyond-scope", "beyond-scope", "!H");

        final String word;
        final String word6;
        final String marker;

        Kind(String word, String word6, String marker) {
            this.word = word;
            this.word6 = word6;
            this.marker = marker;
        }

        /** The error's name in its family: {@code host-unreachable} or, for ICMPv6, {@code address-unreachable}. */
        String word(boolean v6) {
            return v6 ? word6 : word;
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

        /** The error's name in the offending packet's family. */
        String word() {
            return kind.word(offending.dst.v6);
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
        NodeState.RouteEntry r = Walk.scoped(g.node(), back.route(), o.src, g.in());
        return Walk.chooseSource(g.node(), r, o.src);
    }

    /** The error packet, ready to be sent by {@link Walk#output} from the generating node. */
    static Walk.Pkt packet(Generated g, Addr src) {
        Walk.Pkt e = new Walk.Pkt();
        e.src = src;
        e.dst = g.offending().src;
        e.proto = dev.topoc.compiler.model.Proto.ICMP;
        e.error = g.kind();
        e.inner = g.offending();
        // a link-local destination is sent with the incoming interface as its scope (icmp6_send: oif = icmp6_iif)
        e.oif = g.offending().src.isLinkLocal() ? g.in() : null;
        // an ICMP error quotes as much of the packet as fits in 576 bytes (IPv4) or the IPv6 minimum MTU, 1280
        e.len = g.offending().dst.v6 ? Math.min(1280, 48 + g.offending().len) : Math.min(576, 28 + g.offending().len);
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
