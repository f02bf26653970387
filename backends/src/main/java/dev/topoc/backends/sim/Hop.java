package dev.topoc.backends.sim;

/**
 * One step of a packet walk: where the packet was ({@code node}, {@code iface}, nullable) and what
 * happened there ({@code text}: sent, switched, routed, rewritten, delivered, dropped).
 */
public record Hop(Leg leg, String node, String iface, String text) {
    /** The direction of a walk: the request, or the reply that comes back. */
    public enum Leg { REQUEST, REPLY }

    @Override
    public String toString() {
        return (iface == null ? node : node + ":" + iface) + "  " + text;
    }
}
