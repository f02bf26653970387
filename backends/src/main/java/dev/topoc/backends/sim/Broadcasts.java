package dev.topoc.backends.sim;

/** The kernel's local broadcast routes: the highest address of each IPv4 subnet of an up interface (not /31, /32). */
final class Broadcasts {
    private Broadcasts() {}

    /** The device of {@code n} whose subnet has {@code a} as its broadcast address, or null. */
    static Dev of(NodeState n, Addr a) {
        if (a.v6) {
            return null;
        }
        for (Dev d : n.devs) {
            if (!d.up) {
                continue;
            }
            for (Prefix p : d.addrs) {
                if (!p.addr().v6 && p.len() <= 30 && p.contains(a)) {
                    long host = (1L << (32 - p.len())) - 1;
                    if ((a.lo & host) == host) {
                        return d;
                    }
                }
            }
        }
        return null;
    }
}
