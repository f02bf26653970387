package dev.topoc.live.diff;

import dev.topoc.compiler.model.IfRef;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Link;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.Topology;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the kernel holds, as read before a plan: the reader's model of the lab's namespaces (one node per namespace
 * that exists), plus what the differ needs beyond the model: the values of the sysctls the lab sets and the listing
 * of its nftables table ({@code nft list table inet topoc}), per node.
 *
 * <p>{@code live}: the reader's topology: a node per existing namespace, links for veth pairs between them
 * <p>{@code sysctl}: node → key → value, for the keys the file or the record names
 * <p>{@code nft}: node → listing of table {@code inet topoc}; absent when the node has no such table
 * <p>{@code sameRules}: the nodes whose table, read as JSON because no record vouches for it, means the file's rules
 */
public final class Observed {
    private final Topology live;
    private final Map<String, Map<String, String>> sysctl;
    private final Map<String, String> nft;
    private final Map<String, Node> byName;
    private final java.util.Set<String> sameRules;
    private final Map<String, java.util.List<String>> foreignTables;

    /** Node {@code name}'s nftables tables other than {@code inet topoc}, as the census found them (empty: none or unknown). */
    public java.util.List<String> foreignTables(String name) {
        return foreignTables.getOrDefault(name, java.util.List.of());
    }

    public Observed(Topology live, Map<String, Map<String, String>> sysctl, Map<String, String> nft) {
        this(live, sysctl, nft, java.util.Set.of());
    }

    public Observed(Topology live, Map<String, Map<String, String>> sysctl, Map<String, String> nft,
            java.util.Set<String> sameRules) {
        this(live, sysctl, nft, sameRules, Map.of());
    }

    /** {@code foreignTables}: node → its nftables tables other than {@code inet topoc} ({@code FAMILY NAME}). */
    public Observed(Topology live, Map<String, Map<String, String>> sysctl, Map<String, String> nft,
            java.util.Set<String> sameRules, Map<String, java.util.List<String>> foreignTables) {
        this.foreignTables = Map.copyOf(foreignTables);
        this.live = live;
        this.sysctl = Map.copyOf(sysctl);
        this.nft = new HashMap<>(nft);
        this.byName = live.nodesByName();
        this.sameRules = java.util.Set.copyOf(sameRules);
    }

    /**
     * Whether node {@code name}'s table {@code inet topoc} was read as JSON (no lab record vouches for it) and holds
     * exactly the file's NAT and firewall.
     */
    public boolean sameRules(String name) {
        return sameRules.contains(name);
    }

    public Topology live() {
        return live;
    }

    public Map<String, Map<String, String>> sysctl() {
        return sysctl;
    }

    public Map<String, String> nft() {
        return nft;
    }

    /** The live node {@code name}, or null when its namespace was not read. */
    public Node node(String name) {
        return byName.get(name);
    }

    /** Every veth end of the live model → its peer, from the links and from the veth records themselves. */
    public Map<IfRef, IfRef> peers() {
        Map<IfRef, IfRef> peers = new LinkedHashMap<>();
        for (Node n : live.nodes()) {
            for (Interface.Veth v : n.interfaces(Interface.Veth.class)) {
                if (v.peer() != null) {
                    peers.put(v.ref(), v.peer());
                }
            }
        }
        for (Link l : live.links()) {
            peers.put(l.a(), l.b());
            peers.put(l.b(), l.a());
        }
        return peers;
    }
}
