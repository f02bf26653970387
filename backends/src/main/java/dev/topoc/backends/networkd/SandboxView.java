package dev.topoc.backends.networkd;

import java.util.List;

/**
 * The view model of {@code sandbox-up.sh} and {@code sandbox-down.sh}: the namespaces (one per node),
 * the cables (one veth pair per link, created straight into both namespaces) and, per namespace, what
 * to load and what to wait for before the topology counts as up.
 */
public record SandboxView(String topology, List<NamespaceView> namespaces, List<CableView> cables) {
    public SandboxView {
        namespaces = List.copyOf(namespaces);
        cables = List.copyOf(cables);
    }

    /**
     * {@code sysctl} and {@code nft} are the node-relative paths of its files, or null when it has none; {@code runs}
     * the node's {@code run} commands as shell words (its {@code topoc-run-N.service} units, started as processes);
     * {@code bound} the node's listens as {@code PROTO/PORT} when it has runs (what sandbox-up.sh waits for them to bind).
     */
    public record NamespaceView(String node, String ns, String sysctl, String nft, List<String> upLinks,
            List<AddressWait> addresses, List<RouteWait> routes, List<String> runs, List<String> bound) {
        public NamespaceView {
            upLinks = List.copyOf(upLinks);
            addresses = List.copyOf(addresses);
            routes = List.copyOf(routes);
            runs = List.copyOf(runs);
            bound = List.copyOf(bound);
        }
    }

    /** Whether some node has a {@code run} (the scripts then start and stop processes). */
    public boolean runs() {
        return namespaces.stream().anyMatch(n -> !n.runs().isEmpty());
    }

    public record CableView(String nsA, String ifA, String nsB, String ifB) {}

    /** An address networkd must have put on {@code iface} ({@code 10.0.0.1/24}). */
    public record AddressWait(String ns, String iface, String address) {}

    /** A route networkd must have added: {@code family} is -4 or -6, {@code destination} a prefix. */
    public record RouteWait(String ns, String family, String table, String destination) {}
}
