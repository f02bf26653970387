package dev.topoc.compiler.model;

import inet.ipaddr.IPAddress;

/**
 * An address with a prefix length, e.g. an interface address {@code 10.0.0.1/24} or a destination
 * {@code 10.0.0.0/24}. {@code address} carries no prefix length of its own.
 */
public record Cidr(IPAddress address, int prefixLength) {
    public Cidr {
        address = address.getLower().withoutPrefixLength();
    }

    /** The network this address belongs to, as a prefix block (host bits zero). */
    public IPAddress network() {
        return address.setPrefixLength(prefixLength, false).toPrefixBlock();
    }

    /** {@code 10.0.0.0/24} for {@code 10.0.0.1/24}. */
    public Cidr networkCidr() {
        return new Cidr(network().getLower(), prefixLength);
    }

    public boolean isIpv4() {
        return address.isIPv4();
    }

    public boolean contains(IPAddress other) {
        return network().contains(other.withoutPrefixLength());
    }

    @Override
    public String toString() {
        return address.toCanonicalString() + "/" + prefixLength;
    }
}
