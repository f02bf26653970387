package dev.topoc.live.read;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The raw state of one namespace as the kernel reports it: {@code ip -j} arrays of links, addresses, routes
 * (every table) and rules (IPv4 and IPv6), the {@code nft -j list ruleset} array, and the sysctls the language
 * sets. Kept as Jackson trees so that tests can build a dump from captured JSON.
 */
public record NamespaceDump(String namespace, JsonNode links, JsonNode addresses, JsonNode routes4, JsonNode routes6,
        JsonNode rules4, JsonNode rules6, JsonNode nft, Map<String, String> sysctl) {

    /** Reads namespace {@code ns} (the empty string: the default namespace). */
    static NamespaceDump of(String ns) {
        throw new UnsupportedOperationException("not yet");
    }

    static List<String> namespaces() {
        throw new UnsupportedOperationException("not yet");
    }
}
