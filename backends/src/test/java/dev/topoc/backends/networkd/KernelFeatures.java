package dev.topoc.backends.networkd;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Probes what this kernel can create, in a throw-away namespace (SANDBOX.md: 8021q, ipvlan and dummy
 * are missing on the project machines). Each answer is the kernel's, not a guess.
 */
final class KernelFeatures {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private KernelFeatures() {}

    /** True if {@code ip link add} of the kind works; {@code kind} is vlan, ipvlan or dummy. */
    static boolean canCreate(String kind) {
        String ns = "tndK" + ProcessHandle.current().pid() % 100000 + "x" + COUNTER.incrementAndGet();
        if (!Sh.run("ip", "netns", "add", ns).ok()) {
            return false;
        }
        try {
            if (kind.equals("dummy")) {
                return Sh.run("ip", "-n", ns, "link", "add", "name", "d0", "type", "dummy").ok();
            }
            if (!Sh.run("ip", "-n", ns, "link", "add", "name", "v0", "type", "veth", "peer", "name", "v1").ok()) {
                return false;
            }
            return switch (kind) {
                case "vlan" -> Sh.run("ip", "-n", ns, "link", "add", "link", "v0", "name", "v0.5", "type", "vlan", "id", "5").ok();
                case "ipvlan" -> Sh.run("ip", "-n", ns, "link", "add", "link", "v0", "name", "i0", "type", "ipvlan", "mode", "l2").ok();
                default -> throw new IllegalArgumentException(kind);
            };
        } finally {
            Sh.run("ip", "netns", "del", ns);
        }
    }
}
