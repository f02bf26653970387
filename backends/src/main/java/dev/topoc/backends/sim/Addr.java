package dev.topoc.backends.sim;

import inet.ipaddr.IPAddress;
import java.math.BigInteger;

/**
 * An IPv4 or IPv6 address as two longs, so that prefix matches in the packet walk cost a few machine
 * instructions (the matrix of a 1,000-host topology does millions of them). IPv4 lives in {@code lo}.
 */
final class Addr {
    final boolean v6;
    final long hi;
    final long lo;
    private final IPAddress original;

    private Addr(boolean v6, long hi, long lo, IPAddress original) {
        this.v6 = v6;
        this.hi = hi;
        this.lo = lo;
        this.original = original;
    }

    static Addr of(IPAddress a) {
        IPAddress plain = a.getLower().withoutPrefixLength();
        BigInteger v = plain.getValue();
        if (plain.isIPv4()) {
            return new Addr(false, 0, v.longValue() & 0xffffffffL, plain);
        }
        return new Addr(true, v.shiftRight(64).longValue(), v.longValue(), plain);
    }

    int bits() {
        return v6 ? 128 : 32;
    }

    /** Whether this address lies in {@code net/len}. */
    boolean in(Addr net, int len) {
        if (v6 != net.v6) {
            return false;
        }
        if (!v6) {
            if (len == 0) {
                return true;
            }
            long mask = (0xffffffffL << (32 - len)) & 0xffffffffL;
            return (lo & mask) == (net.lo & mask);
        }
        if (len == 0) {
            return true;
        }
        if (len <= 64) {
            long mask = len == 64 ? -1L : ~(-1L >>> len);
            return (hi & mask) == (net.hi & mask);
        }
        long mask = len == 128 ? -1L : ~(-1L >>> (len - 64));
        return hi == net.hi && (lo & mask) == (net.lo & mask);
    }

    /** 0.0.0.0 (or ::). */
    boolean isZero() {
        return hi == 0 && lo == 0;
    }

    boolean isLoopback() {
        return v6 ? hi == 0 && lo == 1 : (lo >>> 24) == 127;
    }

    /** fe80::/10 (IPv6 link-local: every IPv6 interface has one; a ping to it needs a scope, {@code %dev}). */
    boolean isLinkLocal() {
        return v6 && (hi >>> 54) == (0xfe80L >>> 6);
    }

    boolean isMulticast() {
        return v6 ? (hi >>> 56) == 0xff : (lo >>> 28) == 0xe;
    }

    IPAddress ip() {
        return original;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Addr a && a.v6 == v6 && a.hi == hi && a.lo == lo;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(hi * 31 + lo) ^ (v6 ? 1 : 0);
    }

    @Override
    public String toString() {
        return original.toCanonicalString();
    }
}
