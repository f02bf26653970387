package dev.topoc.backends.sim;

import dev.topoc.backends.sim.NodeState.RouteEntry;
import dev.topoc.compiler.model.Action;
import dev.topoc.compiler.model.Chain;
import dev.topoc.compiler.model.CtState;
import dev.topoc.compiler.model.FwRule;
import dev.topoc.compiler.model.IfKind;
import dev.topoc.compiler.model.IfMatch;
import dev.topoc.compiler.model.NatRule;
import dev.topoc.compiler.model.NatType;
import dev.topoc.compiler.model.Proto;
import java.util.ArrayList;
import java.util.List;

/**
 * Netfilter for one {@link Walk}: conntrack (the connections the request opens, which its reply finds),
 * {@code prerouting} DNAT, {@code postrouting} SNAT and masquerade, and the filter chains, following what
 * {@code NftRuleset} loads. Rewrites and verdicts are hops of the walk's trace.
 */
final class Netfilter {
    /** A conntrack entry: the original tuple ({@code o…}) and the reply tuple ({@code r…}) that NAT rewrites. */
    static final class Conn {
        final NodeState node;
        final Proto proto;
        final Addr oSrc;
        final Addr oDst;
        final int oSport;
        final int oDport;
        Addr rSrc;
        Addr rDst;
        int rSport;
        int rDport;
        boolean snatDecided;
        boolean seenReply;

        Conn(NodeState node, Walk.Pkt p) {
            this.node = node;
            this.proto = p.proto;
            oSrc = p.src;
            oDst = p.dst;
            oSport = p.sport;
            oDport = p.dport;
            rSrc = p.dst;
            rDst = p.src;
            rSport = p.dport;
            rDport = p.sport;
        }
    }

    private final Walk walk;
    private final List<Conn> conns = new ArrayList<>(2);
    /** The last verdict of {@link #filter} was a {@code reject} (the node answers with an ICMP error). */
    boolean rejected;

    Netfilter(Walk walk) {
        this.walk = walk;
    }

    /** On local delivery of a reply: the source a DNAT rewrote comes back (conntrack). */
    void unDnatDelivered(NodeState n, Dev d, Walk.Pkt p) {
        if (p.replyDir && p.restoreSrc != null) {
            walk.hop(n, d, "un-DNAT (conntrack): source " + p.src + " -> " + p.restoreSrc);
            p.src = p.restoreSrc;
            p.sport = p.restoreSport;
            p.restoreSrc = null;
        }
    }


    private Conn find(NodeState n, Walk.Pkt p) {
        for (Conn c : conns) {
            if (c.node != n || c.proto != p.proto) {
                continue;
            }
            if (p.src.equals(c.oSrc) && p.dst.equals(c.oDst) && p.sport == c.oSport && p.dport == c.oDport) {
                p.replyDir = false;
                return c;
            }
            if (p.src.equals(c.rSrc) && p.dst.equals(c.rDst) && p.sport == c.rSport && p.dport == c.rDport) {
                p.replyDir = true;
                return c;
            }
        }
        return null;
    }

    void conntrackOut(NodeState n, Walk.Pkt p) {
        conntrack(n, null, p);
    }

    void conntrackIn(NodeState n, Dev in, Walk.Pkt p) {
        conntrack(n, in, p);
    }

    private void conntrack(NodeState n, Dev in, Walk.Pkt p) {
        p.replyDir = false;
        p.restoreSrc = null;
        if (p.error != null) {
            related(n, in, p);
            return;
        }
        Conn c = find(n, p);
        if (c == null) {
            if (p.response && p.proto != Proto.UDP) {
                p.ct = CtState.INVALID;
                p.conn = null;
                if (walk.traced) {
                    walk.hop(n, in, "conntrack: INVALID (a reply without a connection)");
                }
                return;
            }
            c = new Conn(n, p);
            conns.add(c);
            p.ct = CtState.NEW;
            p.conn = c;
            if (in != null) {
                dnat(n, in, p, c);
            }
            return;
        }
        p.conn = c;
        if (!p.replyDir) {
            p.ct = c.seenReply ? CtState.ESTABLISHED : CtState.NEW;
            if (!c.rSrc.equals(c.oDst) || c.rSport != c.oDport) {
                p.dst = c.rSrc;
                p.dport = c.rSport;
            }
            return;
        }
        p.ct = CtState.ESTABLISHED;
        c.seenReply = true;
        if (!c.rDst.equals(c.oSrc) || c.rDport != c.oSport) {
            walk.hop(n, in, "un-SNAT (conntrack): destination " + p.dst + " -> " + c.oSrc);
            p.dst = c.oSrc;
            p.dport = c.oSport;
        }
        if (!c.rSrc.equals(c.oDst) || c.rSport != c.oDport) {
            p.restoreSrc = c.oDst;
            p.restoreSport = c.oDport;
        }
    }

    /**
     * An ICMP error is RELATED to the connection of the packet it quotes (that packet as it left this node, or as
     * it arrived), or INVALID; NAT then makes it look like a reply (nf_nat_icmp_reply_translation): its destination
     * un-SNATed, its source the address the connection asked for where a DNAT rewrote it (measured: traceroute
     * through a DNAT shows the DNAT address for every hop behind it), and the quoted packet as it arrived here.
     */
    private void related(NodeState n, Dev in, Walk.Pkt p) {
        Walk.Pkt i = p.inner;
        for (Conn c : conns) {
            if (c.node != n || c.proto != i.proto) {
                continue;
            }
            boolean src = i.src.equals(c.oSrc) && i.sport == c.oSport || i.src.equals(c.rDst) && i.sport == c.rDport;
            boolean dst = i.dst.equals(c.oDst) && i.dport == c.oDport || i.dst.equals(c.rSrc) && i.dport == c.rSport;
            if (!src || !dst) {
                continue;
            }
            p.conn = c;
            p.ct = CtState.RELATED;
            p.replyDir = true;
            if (walk.traced) {
                walk.hop(n, in, "conntrack: RELATED (an ICMP error about " + i.src + " -> " + i.dst + ")");
            }
            if (p.dst.equals(c.rDst) && !c.rDst.equals(c.oSrc)) {
                walk.hop(n, in, "un-SNAT (conntrack): destination " + p.dst + " -> " + c.oSrc);
                p.dst = c.oSrc;
            }
            if (!c.rSrc.equals(c.oDst) || c.rSport != c.oDport) {
                p.restoreSrc = c.oDst;
                p.restoreSport = 0;
            }
            Walk.Pkt q = Icmp.copy(i);
            q.src = c.oSrc;
            q.sport = c.oSport;
            q.dst = c.oDst;
            q.dport = c.oDport;
            p.inner = q;
            return;
        }
        p.ct = CtState.INVALID;
        p.conn = null;
        if (walk.traced) {
            walk.hop(n, in, "conntrack: INVALID (an ICMP error about no connection)");
        }
    }

    private void dnat(NodeState n, Dev in, Walk.Pkt p, Conn c) {
        for (NatRule rule : n.dnat) {
            if (!natMatches(rule, p, in.name, "")) {
                continue;
            }
            Addr to = Addr.of(rule.toAddress());
            int port = rule.toPort() != null ? rule.toPort() : p.dport;
            walk.hop(n, in, "DNAT " + p.dst + portText(p, p.dport) + " -> " + to + portText(p, port) + " (rule at " + rule.span() + ")");
            p.dst = to;
            p.dport = port;
            c.rSrc = to;
            c.rSport = port;
            return;
        }
    }

    private static String portText(Walk.Pkt p, int port) {
        return p.proto == Proto.ICMP ? "" : ":" + port;
    }

    String postrouting(NodeState n, RouteEntry rt, Walk.Pkt p, String iif) {
        Conn c = p.conn;
        if (c == null || c.node != n) {
            return null;
        }
        if (p.replyDir) {
            if (p.restoreSrc != null) {
                walk.hop(n, rt.dev(), "un-DNAT (conntrack): source " + p.src + " -> " + p.restoreSrc);
                p.src = p.restoreSrc;
                p.sport = p.restoreSport;
                p.restoreSrc = null;
            }
            return null;
        }
        if (p.ct != CtState.NEW || c.snatDecided || rt.dev().kind == IfKind.LOOPBACK) {
            return null;
        }
        c.snatDecided = true;
        for (NatRule rule : n.snat) {
            if (!natMatches(rule, p, iif, rt.dev().name)) {
                continue;
            }
            Addr to;
            if (rule.type() == NatType.SNAT) {
                to = Addr.of(rule.toAddress());
            } else {
                to = Walk.selectAddress(n, rt.dev(), rt.gw() != null ? rt.gw() : p.dst);
                if (to == null) {
                    return "masquerade (rule at " + rule.span() + ") found no address on " + rt.dev().id();
                }
            }
            if (!to.equals(p.src)) {
                walk.hop(n, rt.dev(), (rule.type() == NatType.SNAT ? "SNAT" : "masquerade") + " source " + p.src + " -> " + to
                        + " (rule at " + rule.span() + ")");
                p.src = to;
                c.rDst = to;
            }
            return null;
        }
        return null;
    }

    private static boolean ifMatches(IfMatch m, String name) {
        return m == null || m.name().equals(name) != m.negated();
    }

    private static boolean natMatches(NatRule r, Walk.Pkt p, String iif, String oif) {
        IPAddressFamily fam = IPAddressFamily.of(r.type() == NatType.MASQUERADE ? null : r.toAddress());
        if (fam != null && fam.v6 != p.dst.v6) {
            return false;
        }
        if (!ifMatches(r.in(), iif) || !ifMatches(r.out(), oif)) {
            return false;
        }
        if (r.from() != null && !Prefix.of(r.from()).contains(p.src)) {
            return false;
        }
        if (r.dst() != null && !Addr.of(r.dst()).equals(p.dst)) {
            return false;
        }
        if (r.proto() == null) {
            return true;
        }
        if (r.proto() == Proto.ICMP) {
            return p.proto == Proto.ICMP && !p.dst.v6;
        }
        if (p.proto != r.proto()) {
            return false;
        }
        return r.port() == null || r.port().contains(p.dport);
    }

    private record IPAddressFamily(boolean v6) {
        static IPAddressFamily of(inet.ipaddr.IPAddress a) {
            return a == null ? null : new IPAddressFamily(a.isIPv6());
        }
    }

    /** Evaluates a filter chain; null when the packet is accepted, else the reason it is not. */
    String filter(NodeState n, Chain chain, String hook, Walk.Pkt p, String iif, String oif) {
        rejected = false;
        if (chain == null) {
            return null;
        }
        for (FwRule r : chain.rules()) {
            if (!ruleMatches(r, p, iif, oif)) {
                continue;
            }
            if (r.action() == Action.ACCEPT) {
                if (walk.traced) {
                    walk.hop(n, null, "accepted by firewall rule at " + r.span() + " (" + hook + ")");
                }
                return null;
            }
            rejected = r.action() == Action.REJECT;
            return (r.action() == Action.DROP ? "dropped" : "rejected") + " by firewall rule at " + r.span()
                    + " (" + hook + " chain of " + n.name + ")";
        }
        if (chain.policy() == Action.ACCEPT) {
            return null;
        }
        return "dropped by the " + hook + " policy " + chain.policy().word() + " of " + n.name + " (" + chain.span() + ")";
    }

    private static boolean ruleMatches(FwRule r, Walk.Pkt p, String iif, String oif) {
        if (r.iif() != null && !r.iif().equals(iif) || r.oif() != null && !r.oif().equals(oif)) {
            return false;
        }
        boolean v6rule = r.from() != null && !r.from().isIpv4() || r.to() != null && !r.to().isIpv4();
        if (r.from() != null && !Prefix.of(r.from()).contains(p.src)) {
            return false;
        }
        if (r.to() != null && !Prefix.of(r.to()).contains(p.dst)) {
            return false;
        }
        if (r.proto() != null) {
            if (r.proto() == Proto.ICMP) {
                if (p.proto != Proto.ICMP || p.dst.v6 != v6rule) {
                    return false;
                }
            } else {
                if (p.proto != r.proto()) {
                    return false;
                }
                if (r.sport() != null && !r.sport().contains(p.sport) || r.dport() != null && !r.dport().contains(p.dport)) {
                    return false;
                }
            }
        }
        return r.state().isEmpty() || p.ct != null && r.state().contains(p.ct);
    }
}
