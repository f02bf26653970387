package dev.topoc.backends.sim;

import java.util.List;

/**
 * IPv6 source address selection as the kernel makes it (ipv6_dev_get_saddr, RFC 6724 §5) for a packet to {@code dst}
 * leaving by {@code oif}, when the route has no {@code src}. The candidates are the addresses of every up device of the
 * node (only {@code oif}'s for a link-local or multicast destination); the rules, in order: the destination itself;
 * the smallest scope at least the destination's (else the largest below it); an address of the outgoing device; the
 * same label in the default policy table (fc00::/7 5, 2001::/32 6, ::/0 1, …); the longest prefix shared with the
 * destination, counted up to the address's own prefix length; and on a tie the first candidate in the kernel's
 * order: devices as they were created, a device's addresses newest first (addrconf keeps them sorted by scope,
 * each new one before the older ones of its scope). Measured on this kernel: with fd00:1::1/64 and then
 * fd00:1::5/64 on a router's interface, its errors to fd00:1::2 come from fd00:1::5; a router whose route back
 * leaves by an interface with only a link-local address answers from its global address that shares the longest
 * prefix with the destination (fd00:3::1 rather than fd00:77::1 on lo, to fd00:1::2). Deprecated, temporary,
 * tentative and home addresses do not occur here (the backends add addresses with {@code nodad}).
 */
final class Ipv6Source {
    private Ipv6Source() {}

    private static final int SCOPE_HOST = 1;
    private static final int SCOPE_LINK = 2;
    private static final int SCOPE_SITE = 5;
    private static final int SCOPE_GLOBAL = 14;

    /** The kernel's default address label table (ip addrlabel), longest prefix first. */
    private static final List<Object[]> LABELS = List.of(
            label("::1", 128, 0), label("::", 96, 3), label("::ffff:0:0", 96, 4), label("2001:10::", 28, 7),
            label("2001::", 32, 6), label("2002::", 16, 2), label("3ffe::", 16, 12), label("fec0::", 10, 11),
            label("fc00::", 7, 5), label("::", 0, 1));

    private static Object[] label(String prefix, int len, int label) {
        return new Object[] {Addr.of(new inet.ipaddr.IPAddressString(prefix).getAddress()), len, label};
    }

    static int label(Addr a) {
        Object[] best = null;
        for (Object[] l : LABELS) {
            if (a.in((Addr) l[0], (Integer) l[1]) && (best == null || (Integer) l[1] > (Integer) best[1])) {
                best = l;
            }
        }
        return (Integer) best[2];
    }

    static int scope(Addr a) {
        if (a.isLoopback()) {
            return SCOPE_HOST;
        }
        if (a.isLinkLocal()) {
            return SCOPE_LINK;
        }
        if (a.in(SITE, 10)) {
            return SCOPE_SITE;
        }
        return SCOPE_GLOBAL;
    }

    private static final Addr SITE = Addr.of(new inet.ipaddr.IPAddressString("fec0::").getAddress());

    /** The chosen source, or null when the node has no IPv6 address to send from. */
    static Addr select(NodeState n, Dev oif, Addr dst) {
        boolean oifOnly = oif != null && (dst.isMulticast() || scope(dst) <= SCOPE_LINK);
        int dstScope = scope(dst);
        int dstLabel = label(dst);
        Addr best = null;
        int[] bestScore = null;
        for (Dev d : oifOnly ? List.of(oif) : n.devs) {
            if (d != oif && !d.up) {
                continue;
            }
            for (int k = d.addrs.size() - 1; k >= 0; k--) { // newest first
                Prefix a = d.addrs.get(k);
                if (!a.addr().v6 || a.addr().isMulticast() || a.addr().isZero()) {
                    continue;
                }
                int[] score = score(a, d == oif || oif == null, dst, dstScope, dstLabel);
                if (bestScore == null || better(score, bestScore)) {
                    best = a.addr();
                    bestScore = score;
                }
            }
        }
        return best;
    }

    private static int[] score(Prefix a, boolean onOif, Addr dst, int dstScope, int dstLabel) {
        int s = scope(a.addr());
        int scopeScore = s >= dstScope ? -s : s - 128;
        return new int[] {a.addr().equals(dst) ? 1 : 0, scopeScore, onOif ? 1 : 0, label(a.addr()) == dstLabel ? 1 : 0,
                Math.min(commonPrefix(a.addr(), dst), a.len())};
    }

    private static boolean better(int[] a, int[] b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                return a[i] > b[i];
            }
        }
        return false; // a tie keeps the first candidate
    }

    static int commonPrefix(Addr a, Addr b) {
        long x = a.hi ^ b.hi;
        if (x != 0) {
            return Long.numberOfLeadingZeros(x);
        }
        return 64 + Long.numberOfLeadingZeros(a.lo ^ b.lo);
    }
}
