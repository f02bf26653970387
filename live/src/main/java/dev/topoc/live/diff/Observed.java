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
 * @param live the reader's topology: a node per existing namespace, links for veth pairs between them
 * @param sysctl node → key → value, for the keys the file or the record names
 * @param nft node → listing of table {@code inet topoc}; absent when the node has no such table
 */
public record Observed(Topology live, Map<String, Map<String, String>> sysctl, Map<String, String> nft) {
    public Observed {
        sysctl = Map.copyOf(sysctl);
        nft = new HashMap<>(nft);
    }

    public Node node(String name) {
        return live.node(name).orElse(null);
    }

    /** Every veth end of the live model → its peer, from the links and from the veth records themselves. */
    public Map<IfRef, IfRef> peers() {
        Map<IfRef, IfRef> peers = new LinkedHashMap<>();
        for (Node n : live.nodes()) {
            for (Interface i : n.interfaces()) {
                i.as(Interface.Veth.class).filter(v -> v.peer() != null).ifPresent(v -> peers.put(i.ref(), v.peer()));
            }
        }
        for (Link l : live.links()) {
            peers.put(l.a(), l.b());
            peers.put(l.b(), l.a());
        }
        return peers;
    }
}
