package dev.topoc.live.lab;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a running lab is and what it owns, as {@code topoc up} last left it.
 *
 * <p>Identity: the lab's {@link LabId} (prefix and topology name) names the record; {@code file} (absolute path)
 * and {@code sha256} (of its text) say which file and which version of it the lab was brought up from, and
 * {@code sandbox} how. A different {@code file} claiming the same lab is refused by {@code up} unless
 * {@code --replace}; the same file with another hash is an edit, which {@code up} converges.
 *
 * <p>Ownership is per object and per node: a node whose {@code namespace} the lab created ({@code ownsNamespace})
 * owns everything in that namespace, so whatever is there and not in the file is drift that {@code up} removes.
 * A node in the default namespace (a {@code root} node outside {@code --sandbox}) owns exactly the objects listed,
 * and nothing else there is ever removed.
 *
 * @param version the record format (1)
 * @param prefix the namespace prefix
 * @param topology the topology's name
 * @param sandbox whether the lab runs with {@code --sandbox}
 * @param file the topology file, absolute
 * @param sha256 hex SHA-256 of the file's text when it was brought up
 * @param nodes one entry per provisioned node, in the order {@code up} built them (a lab across machines: the node
 *     namespaces of its sandbox; none outside --sandbox, the nodes live on the machines)
 * @param machines a topology with machines, deployed through its playbook: the machines, in inventory order; empty
 *     for a lab on this host
 * @param artifacts a lab across machines: the folder its playbook was compiled into (inventory, playbooks, each
 *     machine's scripts, the sandbox's keys); null for a lab on this host
 */
public record LabRecord(int version, String prefix, String topology, boolean sandbox, String file, String sha256,
        List<NodeRecord> nodes, List<String> machines, String artifacts) {
    public static final int VERSION = 1;

    @com.fasterxml.jackson.annotation.JsonCreator
    public LabRecord {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
        machines = machines == null ? List.of() : List.copyOf(machines);
    }

    /** A lab on this host (no machines). */
    public LabRecord(int version, String prefix, String topology, boolean sandbox, String file, String sha256,
            List<NodeRecord> nodes) {
        this(version, prefix, topology, sandbox, file, sha256, nodes, List.of(), null);
    }

    /** Whether this lab is a topology across machines, deployed through its playbook ({@code MachineLab}). */
    @JsonIgnore
    public boolean acrossMachines() {
        return !machines.isEmpty();
    }

    @JsonIgnore
    public LabId id() {
        return new LabId(prefix, topology);
    }

    @JsonIgnore
    public String name() {
        return id().name();
    }

    public Optional<NodeRecord> node(String name) {
        return nodes.stream().filter(n -> n.node().equals(name)).findFirst();
    }

    /** The namespaces this lab created (and {@code down} deletes). */
    @JsonIgnore
    public List<String> namespaces() {
        return nodes.stream().filter(NodeRecord::ownsNamespace).map(NodeRecord::namespace).toList();
    }

    /** node name → namespace ({@code ""} for the default namespace), the reader's input. */
    @JsonIgnore
    public Map<String, String> nodeToNamespace() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        nodes.forEach(n -> m.put(n.node(), n.namespace() == null ? "" : n.namespace()));
        return m;
    }

    public LabRecord withNodes(List<NodeRecord> newNodes) {
        return new LabRecord(version, prefix, topology, sandbox, file, sha256, newNodes, machines, artifacts);
    }

    /**
     * What one node of the lab owns.
     *
     * @param node the node's name
     * @param namespace its namespace; null for the default namespace
     * @param ownsNamespace the lab created the namespace (and owns everything in it)
     * @param interfaces interface names the lab created (in the default namespace: the only ones it may delete)
     * @param addresses {@code IF CIDR} the lab added
     * @param routes {@code ip route} arguments of the routes the lab added
     * @param rules {@code ip rule} arguments of the rules the lab added
     * @param sysctl keys the lab set, with the value it set
     * @param nftHash hex SHA-256 of the nftables ruleset text the lab loaded (table {@code inet topoc}); null when none
     * @param nftListing {@code nft list table inet topoc} right after loading, to notice a ruleset changed by hand
     */
    public record NodeRecord(String node, String namespace, boolean ownsNamespace, List<String> interfaces,
            List<String> addresses, List<String> routes, List<String> rules, Map<String, String> sysctl, String nftHash,
            String nftListing) {
        public NodeRecord {
            interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
            addresses = addresses == null ? List.of() : List.copyOf(addresses);
            routes = routes == null ? List.of() : List.copyOf(routes);
            rules = rules == null ? List.of() : List.copyOf(rules);
            sysctl = sysctl == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sysctl));
        }

        /** Where {@code ip} and friends run for this node: the namespace, or {@code ""} for the default one. */
        @JsonIgnore
        public String where() {
            return namespace == null ? "" : namespace;
        }
    }
}
