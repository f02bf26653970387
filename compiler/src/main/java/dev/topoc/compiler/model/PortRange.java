package dev.topoc.compiler.model;

/** A port or a range {@code lo-hi}. */
public record PortRange(int lo, int hi) {
    public static PortRange single(int port) {
        return new PortRange(port, port);
    }

    public boolean contains(int port) {
        return port >= lo && port <= hi;
    }

    @Override
    public String toString() {
        return lo == hi ? Integer.toString(lo) : lo + "-" + hi;
    }
}
