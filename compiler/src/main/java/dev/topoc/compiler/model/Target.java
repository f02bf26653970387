package dev.topoc.compiler.model;

import inet.ipaddr.IPAddress;

/**
 * What an expectation aims at: a node, an interface ({@code node:if}) or an address. {@code node},
 * {@code iface} and {@code address} are nullable; at least one of {@code node} or {@code address} is set.
 */
public record Target(String node, String iface, IPAddress address) {
    @Override
    public String toString() {
        if (address != null) {
            return address.toCanonicalString();
        }
        return iface == null ? node : node + ":" + iface;
    }
}
