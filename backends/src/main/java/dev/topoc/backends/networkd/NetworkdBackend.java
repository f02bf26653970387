package dev.topoc.backends.networkd;

import dev.topoc.backends.Artifacts;
import dev.topoc.backends.Backend;
import dev.topoc.backends.BackendOptions;
import dev.topoc.backends.nft.NftRuleset;
import dev.topoc.backends.bash.Shell;
import dev.topoc.backends.networkd.SandboxView.AddressWait;
import dev.topoc.backends.networkd.SandboxView.CableView;
import dev.topoc.backends.networkd.SandboxView.NamespaceView;
import dev.topoc.backends.networkd.SandboxView.RouteWait;
import dev.topoc.backends.networkd.UnitFile.Entry;
import dev.topoc.backends.template.Templates;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.IfRef;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Link;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.NodeKind;
import dev.topoc.compiler.model.Route;
import dev.topoc.compiler.model.Run;
import dev.topoc.compiler.model.Sysctls;
import dev.topoc.compiler.model.Topology;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.stringtemplate.v4.STGroup;

/**
 * The systemd-networkd backend: one folder per node laid out as that machine's {@code /etc}
 * ({@code NODE/systemd/network/NN-IF.netdev|.network}, {@code NODE/nftables.conf},
 * {@code NODE/sysctl.d/60-topoc.conf}); with {@code --sandbox} also the external nodes and
 * {@code sandbox-up.sh} / {@code sandbox-down.sh}, which run the real networkd once per namespace.
 *
 * <p>Java builds the view model ({@link NodeUnits} for the units, {@link SandboxView} for the scripts),
 * {@code networkd.stg} lays it out, and {@link NftRuleset} (shared with the bash backend) writes the
 * rules. What networkd cannot express is an error diagnostic (E0850–E0899); the caller writes nothing
 * when there is one. Output depends only on the model and the options: same input, same bytes.
 */
public final class NetworkdBackend implements Backend {
    /** The sysctl.d file of a node, relative to its folder. */
    public static final String SYSCTL_FILE = "sysctl.d/60-topoc.conf";
    public static final String NFT_FILE = "nftables.conf";
    /** As the bash backend's: never a leading `-`, which `ip netns exec` would read as an option. */
    private static final Pattern PREFIX = Pattern.compile("([A-Za-z0-9][A-Za-z0-9_.-]{0,31})?");
    private static final STGroup GROUP = Templates.load("/dev/topoc/backends/networkd/networkd.stg");

    @Override
    public Artifacts generate(Topology model, BackendOptions options, Diagnostics diagnostics) {
        Artifacts artifacts = new Artifacts();
        if (!PREFIX.matcher(options.prefix()).matches()) {
            diagnostics.report(NetworkdCode.NETWORKD_BAD_PREFIX, model.span(), options.prefix());
            return artifacts;
        }
        if (model.machines().size() > 1) {
            diagnostics.report(NetworkdCode.NETWORKD_MACHINES, model.machines().get(0).span(), model.name(),
                    model.machines().size(), String.join(", ", model.machines().stream().map(m -> m.name()).toList()));
            return artifacts;
        }
        Map<IfRef, Link> linkOf = new HashMap<>();
        for (Link l : model.links()) {
            linkOf.put(l.a(), l);
            linkOf.put(l.b(), l);
        }
        List<NamespaceView> namespaces = new ArrayList<>();
        for (Node node : model.nodes()) {
            if (node.kind() == NodeKind.EXTERNAL && !options.sandbox()) {
                continue;
            }
            if (options.sandbox()) {
                checkCabled(node, linkOf, diagnostics);
            }
            String dir = node.name() + "/";
            for (UnitFile unit : NodeUnits.of(node, linkOf, diagnostics)) {
                artifacts.add(dir + unit.path(), Templates.render(GROUP, "unit", "u", unit));
            }
            for (UnitFile unit : services(node)) {
                artifacts.add(dir + unit.path(), Templates.render(GROUP, "unit", "u", unit));
            }
            Optional<String> sysctl = sysctl(node, options.sandbox() || node.kind() != NodeKind.ROOT)
                    .map(s -> Templates.render(GROUP, "sysctl", "s", s));
            sysctl.ifPresent(text -> artifacts.add(dir + SYSCTL_FILE, text));
            Optional<String> nft = NftRuleset.render(node);
            nft.ifPresent(text -> artifacts.add(dir + NFT_FILE, text));
            namespaces.add(namespace(node, options, sysctl.isPresent(), nft.isPresent()));
        }
        if (options.sandbox()) {
            List<CableView> cables = model.links().stream().map(l -> new CableView(options.namespace(l.a().node()),
                    l.a().iface(), options.namespace(l.b().node()), l.b().iface())).toList();
            SandboxView view = new SandboxView(model.name(), namespaces, cables);
            artifacts.add("sandbox-up.sh", Templates.render(GROUP, "sandboxUp", "s", view), true);
            artifacts.add("sandbox-down.sh", Templates.render(GROUP, "sandboxDown", "s", view), true);
        }
        return artifacts;
    }

    /** In a sandbox only links become cables: a link end on no link would never appear. */
    private static void checkCabled(Node node, Map<IfRef, Link> linkOf, Diagnostics diagnostics) {
        for (Interface i : node.interfaces()) {
            boolean end = switch (i.ifKind()) {
                case VETH, PHYSICAL -> true;
                case BRIDGE, VLAN, VXLAN, MACVLAN, IPVLAN, DUMMY, TUN, TAP, LOOPBACK -> false;
            };
            if (end && !linkOf.containsKey(i.ref())) {
                diagnostics.report(NetworkdCode.NETWORKD_UNCABLED_IN_SANDBOX, i.span(), i.kind(), i.ref());
            }
        }
    }

    /**
     * Each {@code run} of the node as a systemd service, {@code systemd/system/topoc-run-N.service} (N: its place among
     * the node's runs, from 1), started once the network is online; the command runs as root through
     * {@code /bin/sh -c}, verbatim (see {@link #execQuote}).
     */
    static List<UnitFile> services(Node node) {
        List<UnitFile> out = new ArrayList<>();
        for (int i = 0; i < node.runs().size(); i++) {
            Run r = node.runs().get(i);
            // the line only: a file name is input text, and a unit carries checked names, numbers and the command
            String where = r.span() == null ? "" : " (line " + r.span().line() + ")";
            out.add(new UnitFile("systemd/system/topoc-run-" + (i + 1) + ".service",
                    "topoc: `run` " + (i + 1) + " of node " + node.name() + where + ", run as root: " + r.command()
                            + " (generated; do not edit)",
                    List.of(new UnitFile.Section("Unit", List.of(
                                    new Entry("Description", "topoc run " + (i + 1) + " of node " + node.name()),
                                    new Entry("After", "network-online.target"),
                                    new Entry("Wants", "network-online.target"))),
                            new UnitFile.Section("Service", List.of(
                                    new Entry("Type", "simple"),
                                    new Entry("ExecStart", "/bin/sh -c " + execQuote(r.command())))),
                            new UnitFile.Section("Install", List.of(new Entry("WantedBy", "multi-user.target"))))));
        }
        return out;
    }

    /**
     * {@code command} as one argument of a systemd {@code ExecStart=} line: in double quotes, with {@code \} and
     * {@code "} escaped C-style, {@code %} written {@code %%} (a specifier otherwise) and {@code $} written {@code $$}
     * (an environment variable otherwise), so {@code /bin/sh} receives exactly the command as written. A {@code run} is
     * one line without control characters (the compiler refuses others).
     */
    static String execQuote(String command) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : command.toCharArray()) {
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '%' -> b.append("%%");
                case '$' -> b.append("$$");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }


    /**
     * The node's sysctl.d file: in a namespace the tree builds ({@code ownNamespace}), the br_netfilter switches the
     * file does not set, as {@code -KEY = 0} (systemd-sysctl ignores a {@code -} key the kernel lacks: the module is
     * not loaded, which means 0; the sandbox script drops such lines where procps would fail), so bridged traffic
     * skips netfilter as the simulator models it on any machine; then {@code forwarding} and the node's keys as
     * written. A machine's own default namespace (a `root` node outside the sandbox) gets only what the file says,
     * as in the bash backend: its switches are the host's (Docker, for one, needs them on).
     */
    static Optional<SysctlFile> sysctl(Node node, boolean ownNamespace) {
        List<Entry> entries = new ArrayList<>();
        for (String key : ownNamespace ? Sysctls.BRIDGE_NETFILTER : List.<String>of()) {
            if (!node.sysctl().containsKey(key)) {
                entries.add(new Entry("-" + key, "0"));
            }
        }
        if (node.forwarding()) {
            entries.add(new Entry("net.ipv4.ip_forward", "1"));
            entries.add(new Entry("net.ipv6.conf.all.forwarding", "1"));
        }
        // a key naming an interface with a dot (eth0.7) is written with slashes, which sysctl.d reads as the
        // path itself (with dots, eth0.7 would be read as two levels)
        node.sysctl().forEach((k, v) -> entries.add(new Entry(
                Sysctls.procPath(k).substring("/proc/sys/".length()).equals(k.replace('.', '/')) ? k
                        : Sysctls.procPath(k).substring("/proc/sys/".length()), v)));
        return entries.isEmpty() ? Optional.empty() : Optional.of(new SysctlFile(node.name(), entries));
    }

    private static NamespaceView namespace(Node node, BackendOptions options, boolean sysctl, boolean nft) {
        String ns = options.namespace(node.name());
        List<String> upLinks = new ArrayList<>();
        List<AddressWait> addresses = new ArrayList<>();
        for (Interface i : node.interfaces()) {
            if (!i.common().up()) {
                continue;
            }
            upLinks.add(i.name());
            for (Cidr a : i.addresses()) {
                addresses.add(new AddressWait(ns, i.name(), a.toString()));
            }
        }
        List<RouteWait> routes = new ArrayList<>();
        for (Route r : node.routes()) {
            routes.add(new RouteWait(ns, r.to().isIpv4() ? "-4" : "-6", r.table(), r.to().toString()));
        }
        List<String> runs = node.runs().stream().map(r -> Shell.quote(r.command())).toList();
        List<String> bound = node.runs().isEmpty() ? List.of()
                : node.listens().stream().map(l -> l.proto().word() + "/" + l.ports().lo()).toList();
        return new NamespaceView(node.name(), ns, sysctl ? SYSCTL_FILE : null, nft ? NFT_FILE : null, upLinks, addresses, routes, runs,
                bound);
    }
}
