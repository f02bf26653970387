package dev.topoc.backends.sim;

import dev.topoc.compiler.model.Proto;
import dev.topoc.compiler.model.Target;
import java.util.List;

/**
 * Does {@code from} reach {@code to}? One request and its reply, walked hop by hop: the answer is a
 * {@link Trace} (the verdict, the node the request lands on, every hop and rewrite, and the reason a packet
 * stopped). A ping reaches when the request is delivered and its reply comes back to the sender from the
 * address it asked for. TCP and UDP reach only where something listens: after DNAT, the node the request
 * lands on must have a {@code listen} of that protocol and port (and address); otherwise the kernel
 * refuses the connection (a TCP reset, an ICMP port unreachable for UDP) and the answer is no reach,
 * whatever the firewall on the way back would do with the refusal. {@link #reaches} gives the verdict
 * alone, without building the hops: what a real probe answers. {@code family} (4, 6 or null) chooses the address of
 * a node or interface target ({@link DataPlane#address(Target, Integer)}).
 */
public record PingQuestion(String from, Target to, Proto proto, Integer port, int size, boolean df, Integer family)
        implements Question<Trace> {
    /** Without a family: a node or interface target means its first IPv4 address, else its first IPv6 one. */
    public PingQuestion(String from, Target to, Proto proto, Integer port, int size, boolean df) {
        this(from, to, proto, port, size, df, null);
    }

    /** A default-size probe ({@code size} 56 for icmp), fragments allowed. */
    public PingQuestion(String from, Target to, Proto proto, Integer port) {
        this(from, to, proto, port, dev.topoc.compiler.model.Expectation.DEFAULT_SIZE, false);
    }

    /** The question as the command line writes it: {@code to} an address, {@code node:if} or a node. */
    public static PingQuestion of(DataPlane plane, String from, String to, Proto proto, Integer port) {
        return new PingQuestion(from, plane.target(to), proto, port);
    }

    /** @throws IllegalArgumentException when {@code from} or {@code to} names nothing, or {@code to} has no address */
    @Override
    public Trace answer(DataPlane plane) {
        return run(plane, true);
    }

    /** The verdict alone. */
    public boolean reaches(DataPlane plane) {
        return run(plane, false).reaches();
    }

    private Trace run(DataPlane plane, boolean traced) {
        NodeState src = plane.node(from);
        if (src == null) {
            throw new IllegalArgumentException("unknown node `" + from + "`");
        }
        Addr dst = plane.targetAddr(to, family);
        if (dst == null) {
            throw new IllegalArgumentException("`" + to + "` has no " + (family == null ? "" : "IPv" + family + " ")
                    + "address to send to");
        }
        return walk(plane, src, to.toString(), dst, proto, port, size, df, traced);
    }

    /** The request from {@code src} to {@code dst}, then the reply from where it landed. */
    static Trace walk(DataPlane plane, NodeState src, String toText, Addr dst, Proto proto, Integer port, boolean traced) {
        return walk(plane, src, toText, dst, proto, port, dev.topoc.compiler.model.Expectation.DEFAULT_SIZE, false, traced);
    }

    /**
     * As above, for an icmp echo of {@code size} payload bytes ({@code df}: don't fragment; the echo reply never
     * sets it, as the kernel's ICMP socket does not); tcp and udp packets are small.
     */
    static Trace walk(DataPlane plane, NodeState src, String toText, Addr dst, Proto proto, Integer port, int size, boolean df,
            boolean traced) {
        Walk w = new Walk(plane, traced, 0);
        Walk.Pkt p = new Walk.Pkt();
        if (proto == Proto.ICMP) {
            p.len = size + (dst.v6 ? 48 : 28);
            p.df = df;
        } else {
            p.len = 60;
        }
        p.dst = dst;
        p.proto = proto;
        p.connected = proto != Proto.ICMP;
        p.sport = proto == Proto.ICMP ? 0 : Walk.EPHEMERAL_PORT;
        p.dport = proto == Proto.ICMP ? 0 : port == null ? 0 : port;
        Walk.Delivered req = w.output(src, p);
        List<Hop> none = List.of();
        if (req == null) {
            return new Trace(src.name, toText, dst.toString(), proto, port, false, null, w.path, traced ? w.hops : none, w.reason);
        }
        String lands0 = req.node().name;
        String refused = refused(req);
        if (refused != null) {
            if (traced) {
                w.hops.add(new Hop(Hop.Leg.REQUEST, lands0, req.dev() == null ? null : req.dev().name, "refused: " + refused));
            }
            return new Trace(src.name, toText, dst.toString(), proto, port, false, lands0, w.path, traced ? w.hops : none,
                    "connection refused: " + refused);
        }
        Addr askedFrom = req.p().src;
        Walk.Pkt q = new Walk.Pkt();
        q.src = req.p().answerFrom != null ? req.p().answerFrom : req.p().dst;
        q.dst = req.p().src;
        q.proto = proto;
        q.sport = req.p().dport;
        q.dport = req.p().sport;
        q.response = true;
        q.len = p.len;
        w.leg = Hop.Leg.REPLY;
        Walk.Delivered rep = w.output(req.node(), q);
        String lands = req.node().name;
        if (rep == null) {
            return new Trace(src.name, toText, dst.toString(), proto, port, false, lands, w.path, traced ? w.hops : none,
                    "the request arrives at " + lands + ", but the reply does not come back: " + w.reason);
        }
        String why = null;
        if (rep.node() != src) {
            why = "the reply to " + askedFrom + " is delivered to " + rep.node().name + ", not to " + src.name;
        } else if (!rep.p().src.equals(dst) && !rep.p().src.equals(req.p().answerFrom)) {
            why = "the reply comes from " + rep.p().src + ", not from " + dst + " (asymmetric NAT)";
        }
        return new Trace(src.name, toText, dst.toString(), proto, port, why == null, lands, w.path, traced ? w.hops : none, why);
    }

    /**
     * Why the node the request landed on refuses it, or null when something listens there: the port and
     * address are the ones after DNAT, as the socket lookup sees them.
     */
    static String refused(Walk.Delivered req) {
        Walk.Pkt p = req.p();
        if (p.proto == Proto.ICMP || req.node().model.listener(p.proto, p.dport, p.dst.ip()).isPresent()) {
            return null;
        }
        return "nothing listens on " + p.proto.word() + " " + p.dport + " at " + req.node().name
                + (p.proto == Proto.TCP ? " (reset)" : " (port unreachable)");
    }
}
