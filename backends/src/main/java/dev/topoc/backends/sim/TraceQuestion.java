package dev.topoc.backends.sim;

import dev.topoc.compiler.model.Proto;
import dev.topoc.compiler.model.Target;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code traceroute} shows from {@code from} to {@code to}, hop by hop ({@link Traceroute}): for TTL 1, 2, …
 * one probe ({@code -q 1}, one at a time: {@code -N 1}), walked as the kernel would. A probe whose TTL runs out
 * makes that router send a time exceeded; a router without a route sends net unreachable ({@code !N}), an
 * {@code unreachable} route host unreachable ({@code !H}), a {@code prohibit} route admin prohibited ({@code !X}), a
 * next hop that does not answer ARP host unreachable ({@code !H}, after the ARP timeout), a {@code reject}
 * port unreachable (traceroute prints the rejecting node's address and stops, without a marker), a DF packet
 * larger than the MTU frag needed ({@code !F-MTU}). The error is walked back from the node that sends it to the
 * prober, through filters and NAT (conntrack: RELATED); where it does not arrive, or nothing is sent (a
 * {@code drop}, a blackhole, forwarding off, a martian, rp_filter), the hop is {@code *}. At the destination:
 * the echo reply ({@code icmp}: {@code traceroute -I}), the port unreachable of a UDP port nothing listens on
 * ({@code udp}; without {@code port} the default traceroute, port 33434 + TTL - 1), the SYN-ACK or reset
 * ({@code tcp}: {@code -T -p PORT}). {@code size} is the probe's IP length (traceroute's packet length; 0: its
 * default, 60 bytes, IPv6 80), {@code df} its don't-fragment bit ({@code -F}); {@code family} (4, 6 or null) chooses
 * the address of a node or interface target, as for {@link PingQuestion}. IPv6 is traced the same way with ICMPv6
 * errors ({@link Icmp.Kind}): an {@code unreachable} route answers no route ({@code !N}), a neighbour that does not
 * answer address unreachable ({@code !H}), and a router never fragments: a forwarded probe larger than the next
 * device's MTU gets packet too big ({@code !F-MTU}) whatever {@code df} says. Rate limits are not modelled.
 */
public record TraceQuestion(String from, Target to, Proto proto, Integer port, int maxHops, int size, boolean df, Integer family)
        implements Question<Traceroute> {
    /** traceroute's defaults: 30 hops, 60-byte probes (IPv6: 80), fragments allowed. */
    public static final int MAX_HOPS = 30;
    public static final int DEFAULT_PACKET = 60;
    public static final int DEFAULT_PACKET_V6 = 80;
    /** The first destination port of the default UDP traceroute. */
    public static final int BASE_PORT = 33434;

    /** Without a family (a node or interface target: its first IPv4 address, else its first IPv6 one). */
    public TraceQuestion(String from, Target to, Proto proto, Integer port, int maxHops, int size, boolean df) {
        this(from, to, proto, port, maxHops, size, df, null);
    }

    /** traceroute's defaults: 30 hops, the family's default length, fragments allowed. */
    public TraceQuestion(String from, Target to, Proto proto, Integer port) {
        this(from, to, proto, port, MAX_HOPS, 0, false, null);
    }

    /** The question as the command line writes it: {@code to} an address, {@code node:if} or a node. */
    public static TraceQuestion of(DataPlane plane, String from, String to, Proto proto, Integer port) {
        return new TraceQuestion(from, plane.target(to), proto, port);
    }

    @Override
    public Traceroute answer(DataPlane plane) {
        NodeState src = plane.node(from);
        if (src == null) {
            throw new IllegalArgumentException("unknown node `" + from + "`");
        }
        Addr dst = plane.targetAddr(to, family);
        if (dst == null) {
            throw new IllegalArgumentException("`" + to + "` has no " + (family == null ? "" : "IPv" + family + " ")
                    + "address to send to");
        }
        List<Traceroute.Probe> probes = new ArrayList<>();
        int length = size > 0 ? size : dst.v6 ? DEFAULT_PACKET_V6 : DEFAULT_PACKET;
        Walk.Lookup first = Walk.route(src, dst, null, "lo");
        if (first.failure() != null) {
            return new Traceroute(from, to.toString(), dst.toString(), proto, port, length, df, probes, false, "cannot send: " + first.failure());
        }
        boolean reached = false;
        for (int ttl = 1; ttl <= maxHops; ttl++) {
            Outcome o = probe(plane, src, dst, ttl, length);
            probes.add(o.probe);
            if (o.isFinal) {
                reached = o.reached;
                break;
            }
        }
        return new Traceroute(from, to.toString(), dst.toString(), proto, port, length, df, probes, reached, null);
    }

    private record Outcome(Traceroute.Probe probe, boolean isFinal, boolean reached) {}

    private Outcome probe(DataPlane plane, NodeState src, Addr dst, int ttl, int size) {
        Walk w = new Walk(plane, false, 0);
        Walk.Pkt p = new Walk.Pkt();
        p.dst = dst;
        p.proto = proto;
        p.ttl = ttl;
        p.len = size;
        p.df = df;
        p.connected = proto != Proto.ICMP;
        p.sport = proto == Proto.ICMP ? 0 : Walk.EPHEMERAL_PORT;
        p.dport = proto == Proto.ICMP ? 0 : port != null ? port : BASE_PORT + ttl - 1;
        Walk.Delivered req = w.output(src, p);
        if (req == null) {
            if (w.icmp == null) {
                return silent(ttl, w.reason);
            }
            return back(w, src, ttl, w.icmp, false);
        }
        Walk.Pkt got = req.p();
        if (proto == Proto.UDP && req.node().model.listener(Proto.UDP, got.dport, got.dst.ip()).isEmpty()) {
            Icmp.Generated g = new Icmp.Generated(req.node(), req.dev(), Icmp.Kind.PORT_UNREACH, Icmp.copy(got), 0,
                    "the probe is delivered there, and nothing listens on udp " + got.dport);
            return back(w, src, ttl, g, true);
        }
        if (proto == Proto.UDP) {
            return silent(ttl, "delivered to " + req.node().name + ", whose listener on udp " + got.dport + " sends no ICMP error");
        }
        Walk.Pkt q = new Walk.Pkt();
        q.src = got.dst;
        q.dst = got.src;
        q.proto = proto;
        q.sport = got.dport;
        q.dport = got.sport;
        q.response = true;
        q.len = proto == Proto.ICMP ? size : 40;
        w.leg = Hop.Leg.REPLY;
        Walk.Delivered rep = w.output(req.node(), q);
        if (rep == null || rep.node() != src) {
            return silent(ttl, "delivered to " + req.node().name + ", but its answer does not come back: "
                    + (rep == null ? w.reason : "it is delivered to " + rep.node().name));
        }
        String what = proto == Proto.ICMP ? "echo reply" : req.node().model.listener(Proto.TCP, got.dport, got.dst.ip()).isPresent()
                ? "SYN-ACK" : "reset";
        return new Outcome(new Traceroute.Probe(ttl, rep.p().src.toString(), req.node().name, "",
                "answers: the probe is delivered there, and its " + what + " comes back"), true, true);
    }

    private static Outcome silent(int ttl, String why) {
        return new Outcome(new Traceroute.Probe(ttl, null, null, "", why), false, false);
    }

    /** The error {@code g} walks back to the prober; its source as it arrives is the hop's address. */
    private static Outcome back(Walk w, NodeState src, int ttl, Icmp.Generated g, boolean atDestination) {
        String what = "sends " + g.word() + ": " + (g.kind() == Icmp.Kind.TIME_EXCEEDED
                ? "the TTL of " + ttl + " runs out there" : g.why());
        Addr from = Icmp.source(g);
        if (from == null) {
            return silent(ttl, g.why() + "; " + g.node().name + " has no address to send the " + g.word() + " from");
        }
        Walk.Pkt e = Icmp.packet(g, from);
        w.leg = Hop.Leg.REPLY;
        Walk.Delivered rep = w.output(g.node(), e);
        if (rep == null || rep.node() != src) {
            return silent(ttl, g.why() + "; the " + g.word() + " from " + g.node().name + " does not come back: "
                    + (rep == null ? w.reason : "it is delivered to " + rep.node().name));
        }
        return new Outcome(new Traceroute.Probe(ttl, rep.p().src.toString(), g.node().name, g.marker(), what),
                g.kind() != Icmp.Kind.TIME_EXCEEDED, atDestination);
    }
}
