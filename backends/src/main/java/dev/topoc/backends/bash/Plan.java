package dev.topoc.backends.bash;

import java.util.List;

/**
 * What apply.sh does, in order: a preflight, then numbered steps (step 1 creates the namespaces, then
 * one step per node). Each step is reversible: {@code undo} removes what the step creates, so an
 * interrupted step can be redone and a failed run rolled back. Everything here is already computed and
 * quoted; the template only lays it out.
 *
 * @param topology the topology's name
 * @param source file name of the topology for messages, {@link Shell#display} form (quoted)
 * @param topologySrc {@code file:line} of the topology statement (quoted)
 * @param total the number of steps, the namespaces step included
 * @param lab the record's key, {@code PREFIX+TOPOLOGY} (quoted): the record is {@code /run/topoc/KEY}, its lock
 *     {@code /run/topoc/KEY.lock}; neither part can hold a {@code +}, so two labs never share a key
 * @param prefix the namespace prefix (quoted): destroy.sh deletes no namespace outside it
 * @param probeNs the throw-away namespace of the preflight's kernel probes, {@code KEY+probe}: it starts with the
 *     prefix, and no node's namespace can hold a {@code +} (quoted)
 * @param namespaces every namespace the topology owns (quoted), in step order
 * @param rootLinks interfaces created in the default namespace (quoted; empty under --sandbox)
 * @param physicals physical NICs the topology uses outside --sandbox: must exist before apply
 * @param probes kernel features to probe before changing anything
 * @param tools programs the scripts need besides ip
 * @param steps the node steps (step 1, the namespaces, is implicit and numbered 1)
 * @param rootUndo batch lines destroy.sh runs in the default namespace (rules of the root node)
 * @param rootNft whether the root node loads a ruleset (destroy.sh deletes its table)
 * @param workloads the node's {@code run} commands and sandbox stand-in listeners, in start order
 * @param workloadStep the number of the last step, which starts the workloads (0 when there are none)
 * @param waits per node with a {@code run} and listens: {@code NODE NS tcp/80 …} (quoted), what to wait for
 */
record Plan(String topology, String source, String topologySrc, int total, String lab, String prefix, String probeNs,
        List<String> namespaces, List<String> rootLinks, List<PhysicalCheck> physicals, List<Probe> probes, List<String> tools,
        List<Step> steps, List<String> rootUndo, boolean rootNft, List<Workload> workloads, int workloadStep, List<String> waits) {
    /** The stand-in listener's python3 program ({@link dev.topoc.backends.StandIn}), for the template. */
    public String standInScript() {
        return dev.topoc.backends.StandIn.script().stripTrailing();
    }

    /**
     * One process started in a node when the lab comes up ({@code run}), or, under {@code --sandbox}, the
     * stand-in listener of a node whose listens no {@code run} serves.
     *
     * @param node the node's name (quoted)
     * @param netns its namespace (quoted; {@code ''} for the default namespace)
     * @param src {@code file:line} of the {@code run} or of the node (quoted)
     * @param command the command as written, for the comment that shows it verbatim (one line)
     * @param quoted the command as one shell word, for {@code bash -c}; null for a stand-in
     * @param standIn the stand-in's listen words ({@code tcp/80 udp/53@10.0.0.10}, quoted), null for a run
     * @param log the log file's name in the record folder (quoted)
     */
    record Workload(String node, String netns, String src, String command, String quoted, String standIn, String log) {}

    /**
     * A kernel feature and how to probe for it in a throw-away namespace ({@code $P} names it).
     *
     * @param feature what to call it in the message ("8021q VLAN")
     * @param commands shell commands that succeed only when the feature is present
     * @param message the line of the refusal naming the lines that need it (quoted)
     */
    record Probe(String feature, List<String> commands, String message) {}

    /** A physical NIC that must exist, in the default namespace or already in {@code namespace}. */
    record PhysicalCheck(String name, String namespace, String src) {}

    /**
     * One step: build one node.
     *
     * @param index the step number (2..N)
     * @param name the node's name (quoted)
     * @param src its source position, {@code file:line} (quoted)
     * @param netns the namespace the batch runs in (quoted; {@code ''} for the default namespace)
     * @param ownLinks interfaces this step creates in the default namespace (recorded before creating)
     * @param pre commands before the batch (moving a NIC, sub-interfaces created on another node)
     * @param batch the {@code ip -batch} lines
     * @param batchSrc the source line of each batch line, space separated (for error messages)
     * @param sysctl {@code /proc/sys path} and value words (quoted), in pairs; empty when none
     * @param nft the node's nftables ruleset, null when none
     * @param nftEnd the heredoc delimiter of {@code nft}
     * @param undo lines of an {@code ip -force -batch} that removes what the step made
     * @param undoPre commands that undo {@code pre} (run with errors ignored)
     */
    record Step(int index, String name, String src, String netns, List<String> ownLinks, List<String> pre,
            List<String> batch, String batchSrc, List<String> sysctl, String nft, String nftEnd, List<String> undo,
            List<String> undoPre) {
        /** The batch lines as one text: one template value instead of one per line (a 100,000-host lab has ~10^6). */
        public String batchText() {
            return String.join("\n", batch);
        }

        /** The undo lines as one text. */
        public String undoText() {
            return String.join("\n", undo);
        }
    }
}
