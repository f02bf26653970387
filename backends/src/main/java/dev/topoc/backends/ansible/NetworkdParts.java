package dev.topoc.backends.ansible;

import dev.topoc.backends.Artifacts;
import dev.topoc.backends.BackendOptions;
import dev.topoc.backends.bash.Shell;
import dev.topoc.backends.networkd.NetworkdBackend;
import dev.topoc.backends.template.Templates;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.IfKind;
import dev.topoc.compiler.model.IfRef;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Link;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.NodeKind;
import dev.topoc.compiler.model.Route;
import dev.topoc.compiler.model.Topology;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code --target ansible --via networkd}: each machine's part compiled by the {@link NetworkdBackend} (one tree per node
 * of the part, as that backend writes for one machine), and what installs and runs those trees on the machine:
 * {@code machines/NAME/networkd.sh} ({@code up}, {@code check}, {@code down}; generated from {@code ansible.stg}) and the
 * networkd variant of {@code deploy.yml} and {@code teardown.yml}.
 *
 * <p>On a machine, the part's {@code root} node is the machine's own default namespace: its units go to
 * {@code ETC/systemd/network} under names of their own ({@code 10-topoc-PART-FILE}) and its sysctl file to
 * {@code ETC/sysctl.d/60-topoc-PART.conf}. On a real host {@code ETC} is {@code /etc} and the host's own networkd reads
 * them ({@code networkctl reload}); in the sandbox {@code ETC} is the machine's root folder under the deployment folder
 * ({@code roots/NAME/etc}) and a networkd of the machine's own runs in the machine's namespace on it, never the host's.
 * Every other node is a namespace {@code P+node} with its own networkd process on its tree (the networkd sandbox's recipe:
 * a private mount namespace, the tree over {@code /etc/systemd/network}, a machine-id of its own, {@code /sys}
 * read-only), and the part's links are veth pairs that {@code networkd.sh} creates. docs/machines.md, "--via networkd".
 */
final class NetworkdParts {
    private NetworkdParts() {}

    /** The view of one machine for the networkd playbooks and its {@code networkd.sh}. */
    record NdHost(String name, String ssh, String lab, String part, String plan, String machineNs, boolean sandboxed,
            List<EtcFile> etcFiles, List<Install> installs, List<NdNode> nodes, NdNode root, List<Cable> cables, List<String> namespaces,
            List<String> owns) {
        /** The node namespaces as shell words. */
        public List<String> namespaceWords() {
            return namespaces.stream().map(Shell::quote).toList();
        }

        /** The machine's own namespace as a shell word ({@code ''}: a real host's, or no root node). */
        public String rootNs() {
            return root == null ? "''" : root.ns();
        }

        /** Whether the machine's own namespace has an nftables ruleset (networkd.sh down deletes its table). */
        public boolean rootNft() {
            return root != null && root.nft() != null;
        }

        /** {@code settle} lines: each node's sysctl and nftables, before its networkd starts. */
        public List<String> settles() {
            return nodes.stream().filter(n -> n.sysctl() != null || n.nft() != null).map(n -> "settle " + n.ns() + " "
                    + (n.sysctl() == null ? "''" : n.sysctl()) + " " + (n.nft() == null ? "''" : n.nft())).toList();
        }

        /** {@code settle} lines once networkd has made the links (keys of the devices it created). */
        public List<String> resettles() {
            return nodes.stream().filter(n -> n.sysctl() != null).map(n -> "settle " + n.ns() + " " + n.sysctl() + " ''").toList();
        }

        public List<String> starts() {
            return nodes.stream().filter(NdNode::ownNetworkd).map(n -> "start_networkd " + n.name() + " " + n.ns() + " "
                    + n.tree() + (n.conf() == null ? "" : " " + n.conf())).toList();
        }

        public List<String> alives() {
            return nodes.stream().filter(NdNode::ownNetworkd).map(n -> "alive " + n.name() + " " + n.ns()
                    + " || missing+=(\"networkd of \"" + n.name() + ")").toList();
        }

        public List<String> stops() {
            return nodes.stream().filter(NdNode::ownNetworkd).map(n -> "stop_networkd " + n.name() + " " + n.ns()).toList();
        }

        public List<String> waits() {
            return nodes.stream().flatMap(n -> n.waits().stream()).toList();
        }

        public List<String> runStarts() {
            return runs("start_run", true);
        }

        public List<String> runChecks() {
            List<String> out = new ArrayList<>();
            for (NdNode n : nodes) {
                for (int i = 1; i <= n.runs().size(); i++) {
                    out.add("has_run " + n.name() + " " + i + " || missing+=(\"run " + i + " of \"" + n.name() + ")");
                }
            }
            return out;
        }

        public List<String> runStops() {
            return runs("stop_run", false);
        }

        private List<String> runs(String verb, boolean command) {
            List<String> out = new ArrayList<>();
            for (NdNode n : nodes) {
                for (int i = 0; i < n.runs().size(); i++) {
                    out.add(verb + " " + n.name() + " " + n.ns() + " " + (i + 1) + (command ? " " + n.runs().get(i) : ""));
                }
            }
            return out;
        }
    }

    /**
     * A file networkd.sh writes: {@code dest} a shell word (under {@code $DIR/nodes/} or {@code $ETC/}), {@code base64} its
     * content, so that no byte of it is ever read as shell.
     */
    record Install(String dest, String base64) {}

    /** A root-node file installed under {@code ETC}: {@code src} relative to {@code nodes/}, {@code dest} to ETC. */
    record EtcFile(String src, String dest) {
        /** {@code dest} as one shell word. */
        public String destWord() {
            return Shell.quote(dest);
        }
    }

    /**
     * One node's networkd: {@code ns} its namespace as a shell word ({@code ''} for a real host's default namespace),
     * {@code tree} the shell expression of its unit folder, {@code sysctl} and {@code nft} of its files (or null).
     */
    record NdNode(String name, String ns, String tree, String sysctl, String nft, boolean ownNetworkd, String conf,
            List<String> waits, List<String> runs) {}

    /**
     * A veth pair: {@code nsA} the namespace the command runs in ({@code ''}: the machine's own), {@code peerNs} the peer's;
     * {@code rootVeth} when {@code ifA} is a veth end in the machine's own namespace (recorded before it is made, so that
     * down removes it only while it is that veth).
     */
    record Cable(String nsA, String ifA, String ifB, String peerNs, boolean rootVeth) {}

    static Artifacts generate(String topology, List<MachineTarget> machines, BackendOptions options, Diagnostics diagnostics) {
        int errorsBefore = diagnostics.errorCount();
        BackendOptions partOptions = new BackendOptions(options.prefix(), false);
        List<NdHost> hosts = new ArrayList<>();
        List<AnsibleBackend.Host> plain = new ArrayList<>();
        Map<String, Artifacts> trees = new LinkedHashMap<>();
        Map<String, String> labs = new HashMap<>();
        for (MachineTarget m : machines) {
            Artifacts tree = new NetworkdBackend().generate(m.part(), partOptions, diagnostics);
            if (tree.files().isEmpty()) {
                continue;
            }
            String lab = options.prefix() + "+" + m.part().name();
            String other = labs.putIfAbsent(lab, m.name());
            if (other != null) {
                throw new IllegalStateException("machines " + other + " and " + m.name() + " have parts with one name ("
                        + lab + "): their records on a shared machine would collide");
            }
            NdHost h = host(m, lab, tree, options);
            hosts.add(h);
            plain.add(new AnsibleBackend.Host(m.name(), m.ssh(), lab, "roots/" + m.name(), 0, h.plan(), h.namespaces()));
            trees.put(m.name(), tree);
        }
        if (options.sandbox()) {
            AnsibleBackend.sandboxChecks(machines, options, diagnostics);
            for (MachineTarget m : machines) {
                sandboxCable(m, diagnostics);
            }
        }
        Artifacts artifacts = new Artifacts();
        if (diagnostics.errorCount() > errorsBefore) {
            return artifacts;
        }
        AnsibleBackend.Sandbox sandbox = options.sandbox() ? AnsibleBackend.sandbox(machines, plain, options, true) : null;
        AnsibleBackend.Deployment d = new AnsibleBackend.Deployment(topology, options.prefix(), options.sandbox(), plain, sandbox);
        artifacts.add("inventory.ini", Templates.render(AnsibleBackend.GROUP, "inventory", "d", d));
        for (NdHost h : hosts) {
            artifacts.add("host_vars/" + h.name() + ".yml", Templates.render(AnsibleBackend.GROUP, "ndHostVars", "h", h));
        }
        artifacts.add("deploy.yml", Templates.render(AnsibleBackend.GROUP, "ndDeploy", "d", d));
        artifacts.add("teardown.yml", Templates.render(AnsibleBackend.GROUP, "ndTeardown", "d", d));
        for (NdHost h : hosts) {
            for (var f : trees.get(h.name()).files().entrySet()) {
                artifacts.add("machines/" + h.name() + "/nodes/" + f.getKey(), f.getValue().content(), f.getValue().executable());
            }
            artifacts.add("machines/" + h.name() + "/networkd.sh", Templates.render(AnsibleBackend.GROUP, "ndScript", "h", h), true);
        }
        if (options.sandbox()) {
            artifacts.add("sandbox-up.sh", Templates.render(AnsibleBackend.GROUP, "sandboxUp", "s", sandbox), true);
            artifacts.add("sandbox-down.sh", Templates.render(AnsibleBackend.GROUP, "sandboxDown", "s", sandbox), true);
        }
        return artifacts;
    }

    /**
     * One machine's {@code networkd.sh} alone, as {@link #generate} writes it, without the checks of the Ansible sandbox
     * (E0870, E0871): for a test that runs it in a machine namespace of its own, whose NICs it makes itself.
     */
    static String script(MachineTarget m, BackendOptions options, Diagnostics diagnostics) {
        Artifacts tree = new NetworkdBackend().generate(m.part(), new BackendOptions(options.prefix(), false), diagnostics);
        NdHost h = host(m, options.prefix() + "+" + m.part().name(), tree, options);
        return Templates.render(AnsibleBackend.GROUP, "ndScript", "h", h);
    }

    /**
     * In the sandbox the machine's networkd would manage the machine's cable to the fabric if its part declared it (the
     * underlay interface), and networkd removes the addresses of a link it manages that its units do not name: the ssh
     * address sandbox-up.sh put there, so the controller would lose the machine.
     */
    private static void sandboxCable(MachineTarget m, Diagnostics diagnostics) {
        Cidr declared = m.underlay() == null ? null : AnsibleBackend.underlayOf(m.part(), m.underlay());
        if (declared == null) {
            return;
        }
        for (Node n : m.part().nodes()) {
            for (Interface f : n.interfaces()) {
                if (n.kind() == NodeKind.ROOT && f.addresses().contains(declared)) {
                    diagnostics.report(AnsibleCode.ANSIBLE_NETWORKD_SANDBOX_CABLE, f.span(), n.name(), f.name(), m.name());
                    return;
                }
            }
        }
    }

    /**
     * Whether networkd.sh makes the link's veth pair: not when an end is a {@code physical} NIC (a real cable, there
     * already) or on an {@code external} node (not built), as apply.sh decides outside the sandbox.
     */
    private static boolean builtCable(Map<String, Node> byName, Link l) {
        for (IfRef end : List.of(l.a(), l.b())) {
            Node n = byName.get(end.node());
            if (n == null || n.kind() == NodeKind.EXTERNAL || n.interfaces().stream()
                    .anyMatch(i -> i.name().equals(end.iface()) && i.ifKind() == IfKind.PHYSICAL)) {
                return false;
            }
        }
        return true;
    }

    private static NdHost host(MachineTarget m, String lab, Artifacts tree, BackendOptions options) {
        Topology part = m.part();
        String machineNs = options.sandbox() ? options.namespace(m.name()) : null;
        Node root = part.nodes().stream().filter(n -> n.kind() == NodeKind.ROOT).findFirst().orElse(null);
        List<EtcFile> etc = new ArrayList<>();
        if (root != null) {
            String dir = root.name() + "/";
            for (String path : new TreeMap<>(tree.files()).keySet()) {
                if (path.startsWith(dir + "systemd/network/")) {
                    String file = path.substring((dir + "systemd/network/").length());
                    etc.add(new EtcFile(path, "systemd/network/" + etcName(part.name(), file)));
                } else if (path.equals(dir + NetworkdBackend.SYSCTL_FILE)) {
                    etc.add(new EtcFile(path, "sysctl.d/60-topoc-" + part.name() + ".conf"));
                }
            }
        }
        List<Install> installs = new ArrayList<>();
        for (var f : new TreeMap<>(tree.files()).entrySet()) {
            installs.add(new Install("\"$DIR\"/nodes/" + Shell.quote(f.getKey()), base64(f.getValue().content())));
        }
        for (EtcFile f : etc) {
            installs.add(new Install("\"$ETC\"/" + Shell.quote(f.dest()), base64(tree.content(f.src()))));
        }
        Map<String, Node> byName = new HashMap<>();
        part.nodes().forEach(n -> byName.put(n.name(), n));
        List<NdNode> nodes = new ArrayList<>();
        List<String> namespaces = new ArrayList<>();
        NdNode rootView = null;
        for (Node n : part.nodes()) {
            if (n.kind() == NodeKind.EXTERNAL) {
                continue; // never built on a machine (the sandbox builds the ones behind physical NICs itself)
            }
            boolean isRoot = n == root;
            String dir = n.name() + "/";
            String ns = isRoot ? (machineNs == null ? "''" : Shell.quote(machineNs)) : Shell.quote(options.namespace(n.name()));
            String sysctl = tree.files().containsKey(dir + NetworkdBackend.SYSCTL_FILE)
                    ? (isRoot ? "\"$ETC/sysctl.d/60-topoc-" + part.name() + ".conf\"" : "\"$DIR/nodes/" + dir + NetworkdBackend.SYSCTL_FILE + "\"")
                    : null;
            String nft = tree.files().containsKey(dir + NetworkdBackend.NFT_FILE) ? "\"$DIR/nodes/" + dir + NetworkdBackend.NFT_FILE + "\"" : null;
            String treeDir = isRoot ? "\"$ETC/systemd/network\"" : "\"$DIR/nodes/" + dir + "systemd/network\"";
            List<String> waits = new ArrayList<>();
            for (Interface f : n.interfaces()) {
                if (!f.common().up()) {
                    continue;
                }
                waits.add("wait_up " + ns + " " + Shell.quote(f.name()));
                for (Cidr a : f.addresses()) {
                    waits.add("wait_address " + ns + " " + Shell.quote(f.name()) + " " + a);
                }
            }
            for (Route r : n.routes()) {
                waits.add("wait_route " + ns + " " + (r.to().isIpv4() ? "-4" : "-6") + " " + Shell.quote(r.table()) + " " + r.to());
            }
            List<String> runs = n.runs().stream().map(r -> Shell.quote(r.command())).toList();
            NdNode view = new NdNode(Shell.quote(n.name()), ns, treeDir, sysctl, nft, !isRoot || machineNs != null,
                    isRoot && machineNs != null ? "\"$STATE/networkd.conf\"" : null, waits, runs);
            if (isRoot) {
                rootView = view;
            } else {
                namespaces.add(options.namespace(n.name()));
            }
            nodes.add(view);
        }
        List<Cable> cables = new ArrayList<>();
        for (Link l : part.links()) {
            if (!builtCable(byName, l)) {
                continue;
            }
            boolean aRoot = byName.get(l.a().node()) == root;
            boolean bRoot = byName.get(l.b().node()) == root;
            String nsA = options.namespace(l.a().node());
            String nsB = options.namespace(l.b().node());
            if (aRoot && bRoot) {
                cables.add(new Cable("''", Shell.quote(l.a().iface()), Shell.quote(l.b().iface()), "''", rootVeth(root, l.a().iface())));
            } else if (aRoot) {
                cables.add(new Cable("''", Shell.quote(l.a().iface()), Shell.quote(l.b().iface()), Shell.quote(nsB),
                        rootVeth(root, l.a().iface())));
            } else if (bRoot) {
                cables.add(new Cable("''", Shell.quote(l.b().iface()), Shell.quote(l.a().iface()), Shell.quote(nsA),
                        rootVeth(root, l.b().iface())));
            } else {
                cables.add(new Cable(Shell.quote(nsA), Shell.quote(l.a().iface()), Shell.quote(l.b().iface()), Shell.quote(nsB), false));
            }
        }
        // what networkd.sh up records in the machine's own namespace before the units that make or change it are installed:
        // a device networkd makes from a .netdev (networkd never deletes one; networkd.sh down does, while it is the one
        // recorded), or uses as it is when it existed before (then the addresses the part gives it are recorded, as on a
        // physical NIC); a physical NIC, whose addresses networkd sets are recorded unless they were there before. A veth
        // end is recorded by its cable (root_cable); lo is always there.
        List<String> owns = new ArrayList<>();
        if (root != null) {
            for (Interface f : root.interfaces()) {
                String verb = switch (f.ifKind()) {
                    case BRIDGE, VLAN, VXLAN, MACVLAN, IPVLAN, DUMMY, TUN, TAP -> "own_dev";
                    case PHYSICAL -> "own_nic";
                    case VETH, LOOPBACK -> null;
                };
                if (verb != null) {
                    StringBuilder line = new StringBuilder(verb).append(' ').append(Shell.quote(f.name()));
                    f.addresses().forEach(a -> line.append(' ').append(a));
                    owns.add(line.toString());
                }
            }
        }
        return new NdHost(m.name(), m.ssh(), lab, part.name(), plan(tree), machineNs, options.sandbox(), etc, installs, nodes, rootView,
                cables, namespaces, owns);
    }

    /** Whether the root node's interface {@code name} (a link's end) is a veth: declared as one, or not declared. */
    private static boolean rootVeth(Node root, String name) {
        return root.interfaces().stream().filter(f -> f.name().equals(name)).findFirst()
                .map(f -> f.ifKind() == IfKind.VETH).orElse(true);
    }

    private static String base64(String content) {
        return java.util.Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8));
    }

    /** A root unit's name under {@code ETC/systemd/network}: its own prefix, so that it never replaces a host's file. */
    static String etcName(String part, String file) {
        return "10-topoc-" + part + "-" + file;
    }

    /** The hash of everything the machine's trees hold (paths and contents): another version, another hash. */
    private static String plan(Artifacts tree) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (var e : new TreeMap<>(tree.files()).entrySet()) {
                md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(e.getValue().content().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
