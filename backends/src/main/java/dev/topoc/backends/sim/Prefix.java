package dev.topoc.backends.sim;

import dev.topoc.compiler.model.Cidr;

/** An address with a prefix length: an interface address ({@code 10.0.0.1/24}) or a route destination. */
record Prefix(Addr addr, int len) {
    static Prefix of(Cidr c) {
        return new Prefix(Addr.of(c.address()), c.prefixLength());
    }

    boolean contains(Addr a) {
        return a.in(addr, len);
    }

    boolean isHost() {
        return len == addr.bits();
    }

    @Override
    public String toString() {
        return addr + "/" + len;
    }
}
