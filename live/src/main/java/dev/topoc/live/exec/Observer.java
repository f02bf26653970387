package dev.topoc.live.exec;

import dev.topoc.compiler.diag.Span;
import dev.topoc.compiler.model.Topology;
import dev.topoc.live.diff.Desired;
import dev.topoc.live.diff.Desired.DNode;
import dev.topoc.live.diff.Observed;
import dev.topoc.live.lab.LabRecord;
import dev.topoc.live.lab.LabRecord.NodeRecord;
import dev.topoc.live.read.BatchDumps;
import dev.topoc.live.read.Census;
import dev.topoc.live.read.LiveReader;
import dev.topoc.live.read.NamespaceDump;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads what the differ compares: the reader's model of every namespace of the lab that exists (desired nodes and
 * nodes the record still owns), and, only for nodes that need them, the sysctls the file or the record names and
 * the listing of table {@code inet topoc} (one extra process for such a node; a host of a star has neither).
 */
public final class Observer {
    /** The reader, replaceable in tests: node → namespace in, topology out. */
    public interface Source {
        Topology read(Map<String, String> nodeToNamespace);

        /** {@link #read(Map)}; the nodes in {@code rules6} may have IPv6 policy rules (the file or record has some). */
        default Topology read(Map<String, String> nodeToNamespace, Set<String> rules6) {
            return read(nodeToNamespace);
        }

        /**
         * What the lean read leaves out, per namespace ({@link Census}): empty when not known (a source in tests), and
         * then IPv6 rules and nftables tables are read only where the file or record has some.
         */
        default Map<String, Census.Entry> census(java.util.Collection<String> namespaces) {
            return Map.of();
        }
    }

    /**
     * The reader on this machine, with {@link NamespaceDump.Parts#LEAN lean} dumps: what the differ compares, in
     * one {@code ip -j -batch} per namespace (plus an {@code ip -6 rule} where IPv6 rules may be). From 8 namespaces
     * on, the namespaces are split into a few groups, each read by one {@link BatchDumps} helper that enters them in
     * turn ({@code setns}, one {@code ip} each); the groups run at the same time, since a reader mostly waits (on the
     * kernel, on process start). Without the helper, each namespace is read by an {@code nsenter … ip} of its own, a
     * few at a time. The model is built from all dumps at once (veth peers are matched across them).
     */
    public static final Source KERNEL = new Source() {
        @Override
        public Topology read(Map<String, String> nodeToNamespace) {
            return readInParallel(nodeToNamespace, Set.of());
        }

        @Override
        public Topology read(Map<String, String> nodeToNamespace, Set<String> rules6) {
            return readInParallel(nodeToNamespace, rules6);
        }

        @Override
        public Map<String, Census.Entry> census(java.util.Collection<String> namespaces) {
            return java.util.Objects.requireNonNullElse(Census.of(namespaces), Map.of());
        }
    };

    private static final int READERS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    private static Topology readInParallel(Map<String, String> nodeToNamespace, Set<String> rules6) {
        java.util.function.BiFunction<String, String, NamespaceDump> dump =
                (node, ns) -> NamespaceDump.of(ns, NamespaceDump.Parts.lean(rules6.contains(node)));
        if (nodeToNamespace.size() < 8) {
            Map<String, NamespaceDump> dumps = new LinkedHashMap<>();
            nodeToNamespace.forEach((node, ns) -> dumps.put(node, dump.apply(node, ns)));
            return LiveReader.fromDumps("live", dumps, false).topology();
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(READERS, r -> {
            Thread t = new Thread(r, "topoc-reader");
            t.setDaemon(true);
            return t;
        });
        try {
            // most namespaces through a few helpers that each read a group in one process (BatchDumps); the default
            // namespace, nodes with IPv6 rules, and whatever a helper did not read, one nsenter at a time
            List<String> grouped = nodeToNamespace.entrySet().stream()
                    .filter(e -> !e.getValue().isEmpty() && !rules6.contains(e.getKey())).map(Map.Entry::getValue)
                    .distinct().toList();
            Map<String, java.util.concurrent.Future<NamespaceDump>> futures = new LinkedHashMap<>();
            nodeToNamespace.forEach((node, ns) -> {
                if (ns.isEmpty() || rules6.contains(node)) {
                    futures.put(node, pool.submit(() -> dump.apply(node, ns)));
                }
            });
            List<java.util.concurrent.Future<Map<String, NamespaceDump>>> groups = new ArrayList<>();
            int size = (grouped.size() + READERS - 1) / READERS;
            for (int from = 0; from < grouped.size(); from += size) {
                List<String> group = grouped.subList(from, Math.min(grouped.size(), from + size));
                groups.add(pool.submit(() -> BatchDumps.read(group)));
            }
            Map<String, NamespaceDump> read = new java.util.HashMap<>();
            for (java.util.concurrent.Future<Map<String, NamespaceDump>> g : groups) {
                read.putAll(g.get());
            }
            nodeToNamespace.forEach((node, ns) -> {
                if (!futures.containsKey(node) && !read.containsKey(ns)) {
                    futures.put(node, pool.submit(() -> dump.apply(node, ns)));
                }
            });
            Map<String, NamespaceDump> dumps = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : nodeToNamespace.entrySet()) {
                java.util.concurrent.Future<NamespaceDump> f = futures.get(e.getKey());
                dumps.put(e.getKey(), f != null ? f.get() : read.get(e.getValue()));
            }
            return LiveReader.fromDumps("live", dumps, false).topology();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading namespaces");
        } finally {
            pool.shutdownNow();
        }
    }

    private final Source source;

    public Observer(Source source) {
        this.source = source;
    }

    public static boolean namespaceExists(String ns) {
        return ns.isEmpty() || Files.exists(Path.of("/run/netns", ns));
    }

    /** Node → namespace of the nodes of {@code desired} and {@code record} whose namespace exists now. */
    public static Map<String, String> present(Desired desired, LabRecord record) {
        Map<String, String> m = new LinkedHashMap<>();
        desired.nodes().forEach(n -> {
            if (namespaceExists(n.namespace())) {
                m.put(n.name(), n.namespace());
            }
        });
        if (record != null) {
            for (NodeRecord r : record.nodes()) {
                if (!m.containsKey(r.node()) && namespaceExists(r.where())) {
                    m.put(r.node(), r.where());
                }
            }
        }
        return m;
    }

    public Observed observe(Desired desired, LabRecord record) {
        Map<String, String> present = present(desired, record);
        // one process for the whole lab: which namespaces hold IPv6 rules or nftables tables the file and record do not
        // lead the lean read to (added by hand)
        Map<String, Census.Entry> census = present.isEmpty() ? Map.of() : source.census(new LinkedHashSet<>(present.values()));
        Set<String> rules6 = new java.util.HashSet<>(mayHaveIpv6Rules(desired, record));
        Map<String, List<String>> foreign = new LinkedHashMap<>();
        Set<String> topocTable = new java.util.HashSet<>();
        present.forEach((node, ns) -> {
            Census.Entry c = census.get(ns);
            if (c == null) {
                return;
            }
            if (c.rules6() > 0) {
                rules6.add(node);
            }
            List<String> others = c.tables().stream().filter(t -> !t.equals("inet topoc")).toList();
            if (!others.isEmpty()) {
                foreign.put(node, others);
            }
            if (c.tables().contains("inet topoc")) {
                topocTable.add(node);
            }
        });
        Topology live = present.isEmpty() ? new Topology(desired.topology(), Span.NONE, List.of(), List.of(), List.of())
                : source.read(present, rules6);
        Map<String, Map<String, String>> sysctl = new LinkedHashMap<>();
        Map<String, String> nft = new LinkedHashMap<>();
        Set<String> sameRules = new java.util.HashSet<>();
        Map<String, NodeRecord> recorded = new java.util.HashMap<>();
        if (record != null) {
            record.nodes().forEach(n -> recorded.putIfAbsent(n.node(), n));
        }
        for (Map.Entry<String, String> e : present.entrySet()) {
            String node = e.getKey();
            DNode d = desired.node(node);
            NodeRecord r = recorded.get(node);
            Set<String> keys = new LinkedHashSet<>();
            if (d != null) {
                keys.addAll(d.sysctl().keySet());
            }
            if (r != null) {
                keys.addAll(r.sysctl().keySet());
            }
            boolean wantsNft = (d != null && d.nft() != null) || (r != null && r.nftHash() != null)
                    || topocTable.contains(node);
            if (keys.isEmpty() && !wantsNft) {
                continue;
            }
            // no record vouches for the loaded text (a lab brought up elsewhere, or imported): read the table as JSON
            // too, and the differ compares its meaning with the file's
            boolean vouched = r != null && r.nftHash() != null && d != null && d.nft() != null
                    && r.nftHash().equals(dev.topoc.live.lab.LabStore.sha256(d.nft()));
            boolean json = d != null && d.nft() != null && d.nftListing() == null && !vouched;
            Extras x = extras(e.getValue(), keys, wantsNft, json);
            sysctl.put(node, x.sysctl());
            if (x.nft() != null) {
                nft.put(node, x.nft());
            }
            if (json && x.nftJson() != null && LiveReader.sameRules(d.node(), x.nftJson())) {
                sameRules.add(node);
            }
        }
        return new Observed(live, sysctl, nft, sameRules, foreign);
    }

    /**
     * The nodes whose IPv6 policy rules the differ needs: an IPv6 rule in the file or in the record (the language's
     * IPv6 rules all have an IPv6 {@code from} or {@code to}). A rule added by hand to another node is not read by
     * {@code plan}/{@code up}; {@code inspect} and {@code import} read every namespace in full.
     */
    static Set<String> mayHaveIpv6Rules(Desired desired, LabRecord record) {
        Set<String> nodes = new java.util.HashSet<>();
        for (DNode d : desired.nodes()) {
            if (d.rules().stream().anyMatch(r -> (r.from() != null && r.from().address().isIPv6())
                    || (r.to() != null && r.to().address().isIPv6()))) {
                nodes.add(d.name());
            }
        }
        if (record != null) {
            for (NodeRecord r : record.nodes()) {
                if (r.rules().stream().anyMatch(s -> s.contains(":"))) {
                    nodes.add(r.node());
                }
            }
        }
        return nodes;
    }

    private static final java.util.concurrent.atomic.AtomicInteger PROBES = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * The values {@code keys} have in a namespace just created: what a sysctl of a namespace the lab creates was
     * before the lab set it (read in a throw-away namespace of this process, deleted at once).
     */
    public static Map<String, String> freshDefaults(Set<String> keys) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        // unique within this process too: two engines of one JVM (the tests run classes in parallel) read at once
        String probe = "topoc-probe-" + ProcessHandle.current().pid() + "-" + PROBES.incrementAndGet();
        Executor.Run add = Executor.run(List.of("ip", "netns", "add", probe), "");
        if (add.code() != 0) {
            throw new IllegalStateException("cannot create a namespace to read sysctl defaults: " + add.err().strip());
        }
        try {
            return extras(probe, keys, false).sysctl();
        } finally {
            Executor.run(List.of("ip", "netns", "del", probe), "");
        }
    }

    /** The listing of table inet topoc in {@code ns}, or null when there is none. */
    public static String nftListing(String ns) {
        return extras(ns, Set.of(), true).nft();
    }

    record Extras(Map<String, String> sysctl, String nft, com.fasterxml.jackson.databind.JsonNode nftJson) {}

    private static final String NFT_MARK = "@@topoc-nft@@";
    private static final String JSON_MARK = "@@topoc-nft-json@@";

    static Extras extras(String ns, Set<String> keys, boolean nft) {
        return extras(ns, keys, nft, false);
    }

    /**
     * One process in the namespace: {@code KEY=VALUE} lines, a mark, then the table's listing (or nothing), and with
     * {@code json} another mark and {@code nft -j list table inet topoc}.
     */
    static Extras extras(String ns, Set<String> keys, boolean nft, boolean json) {
        StringBuilder script = new StringBuilder();
        for (String k : keys) {
            // keys are validated by the resolver (net.[A-Za-z0-9_.-/]+): safe inside single quotes
            script.append("printf '%s=%s\\n' '").append(k).append("' \"$(cat '").append(dev.topoc.compiler.model.Sysctls.procPath(k))
                    .append("' 2>/dev/null)\"\n"); // eth0.100's keys are under conf/eth0.100/
        }
        if (nft) {
            script.append("echo '").append(NFT_MARK).append("'\n");
            script.append("nft list table inet topoc 2>/dev/null || true\n");
        }
        if (json) {
            script.append("echo '").append(JSON_MARK).append("'\n");
            script.append("nft -j list table inet topoc 2>/dev/null || true\n");
        }
        List<String> cmd = new ArrayList<>();
        if (!ns.isEmpty()) {
            cmd.addAll(List.of("nsenter", "--net=/run/netns/" + ns));
        }
        cmd.addAll(List.of("sh", "-c", script.toString()));
        Executor.Run r = Executor.run(cmd, "");
        if (r.code() != 0) {
            throw new IllegalStateException("cannot read sysctls and nftables of namespace " + ns + ": " + r.err().strip());
        }
        Map<String, String> values = new LinkedHashMap<>();
        String out = r.out();
        int mark = out.indexOf(NFT_MARK + "\n");
        String head = mark < 0 ? out : out.substring(0, mark);
        for (String line : head.lines().toList()) {
            int eq = line.indexOf('=');
            if (eq > 0 && eq < line.length() - 1) {
                values.put(line.substring(0, eq), line.substring(eq + 1).strip().replaceAll("\\s+", " "));
            }
        }
        com.fasterxml.jackson.databind.JsonNode tree = null;
        int jsonMark = out.indexOf(JSON_MARK + "\n");
        if (jsonMark >= 0) {
            String text = out.substring(jsonMark + JSON_MARK.length() + 1);
            out = out.substring(0, jsonMark);
            try {
                tree = text.isBlank() ? null : new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
            } catch (java.io.IOException e) {
                tree = null; // unreadable: the differ goes by the record, as without
            }
        }
        String listing = null;
        if (mark >= 0) {
            String tail = out.substring(mark + NFT_MARK.length() + 1);
            listing = tail.isBlank() ? null : tail;
        }
        return new Extras(values, listing, tree);
    }
}
