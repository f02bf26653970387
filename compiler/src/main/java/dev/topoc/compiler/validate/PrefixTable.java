package dev.topoc.compiler.validate;

import inet.ipaddr.IPAddress;
import inet.ipaddr.format.util.AssociativeAddressTrie;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv4.IPv4AddressAssociativeTrie;
import inet.ipaddr.ipv6.IPv6Address;
import inet.ipaddr.ipv6.IPv6AddressAssociativeTrie;
import java.util.ArrayList;
import java.util.List;

/** Prefix blocks of both families mapped to values, with longest-prefix and containment look-ups (IPAddress tries). */
final class PrefixTable<V> {
    private final IPv4AddressAssociativeTrie<V> v4 = new IPv4AddressAssociativeTrie<>();
    private final IPv6AddressAssociativeTrie<V> v6 = new IPv6AddressAssociativeTrie<>();

    /** Adds unless the block is there already; returns the value now stored for it. */
    V putIfAbsent(IPAddress block, V value) {
        if (block.isIPv4()) {
            IPv4Address k = block.toIPv4();
            V old = v4.get(k);
            if (old != null) {
                return old;
            }
            v4.put(k, value);
        } else {
            IPv6Address k = block.toIPv6();
            V old = v6.get(k);
            if (old != null) {
                return old;
            }
            v6.put(k, value);
        }
        return value;
    }

    /** The value of the longest block that contains all of {@code block}, or null. */
    V longestContaining(IPAddress block) {
        var node = block.isIPv4() ? v4.longestPrefixMatchNode(block.toIPv4()) : v6.longestPrefixMatchNode(block.toIPv6());
        return node == null ? null : node.getValue();
    }

    /** Values of every stored block that contains all of {@code block}, shortest first. */
    List<V> containing(IPAddress block) {
        List<V> out = new ArrayList<>();
        AssociativeAddressTrie.AssociativeTrieNode<?, V> node = block.isIPv4()
                ? v4.elementsContaining(block.toIPv4()) : v6.elementsContaining(block.toIPv6());
        while (node != null) {
            if (node.isAdded()) {
                out.add(node.getValue());
            }
            var lower = node.getLowerSubNode();
            node = lower != null ? lower : node.getUpperSubNode();
        }
        return out;
    }
}
