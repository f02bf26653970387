package dev.topoc.backends.ansible;

import dev.topoc.backends.Artifacts;
import dev.topoc.backends.BackendOptions;
import dev.topoc.backends.ProbeScript;
import dev.topoc.backends.bash.BashBackend;
import dev.topoc.backends.template.Templates;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.IfCommon;
import dev.topoc.compiler.model.IfRef;
import dev.topoc.compiler.model.IfKind;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Link;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.NodeKind;
import dev.topoc.compiler.model.Topology;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.stringtemplate.v4.STGroup;

/**
 * The Ansible backend: a topology spread over machines, deployed by {@code ansible-playbook}.
 *
 * <p>Design: each machine's part is compiled by the {@link BashBackend} (its {@code apply.sh} and {@code destroy.sh}
 * are the ones a single machine would run, with their idempotence, rollback and ownership record), and
 * {@code ansible.stg} lays out what drives them: {@code inventory.ini} (one host per machine), {@code host_vars/NAME.yml}
 * (what the playbooks need to know of each part: its record key, step count, plan hash and namespaces, read back
 * from the generated script so that they cannot disagree), {@code deploy.yml}, {@code teardown.yml}, and
 * {@code check.yml} with {@code check-probe.yml} and {@code probe.py}, the probes of {@code topoc check --live}. Only
 * {@code ansible.builtin} modules are used. {@code changed} comes from apply.sh's own progress lines: a step it runs
 * prints {@code [K/N] NAME ok}, a step already done {@code [K/N] NAME ok (already)}.
 *
 * <p>With {@code sandbox}, the machines themselves become namespaces {@code P+machine} on one fabric bridge (in
 * {@code P+fabric}), each with its own sshd, and a controller namespace {@code P+control}: {@code sandbox-up.sh} and
 * {@code sandbox-down.sh} (docs/machines.md, "The sandbox"). The parts are still compiled without {@code --sandbox}:
 * a machine's default namespace is its {@code P+machine} namespace, where its sshd runs.
 */
public final class AnsibleBackend {
    static final STGroup GROUP = Templates.load("/dev/topoc/backends/ansible/ansible.stg");

    /** What each machine runs: the bash backend's scripts, or systemd-networkd trees ({@link NetworkdParts}). */
    public enum Via { BASH, NETWORKD }

    /** Where the scripts are copied on a machine (a host variable; the inventory may override it). */
    static final String REMOTE_ROOT = "/var/lib/topoc/";

    public Artifacts generate(String topology, List<MachineTarget> machines, BackendOptions options, Via via,
            Diagnostics diagnostics) {
        if (via == Via.NETWORKD) {
            return NetworkdParts.generate(topology, machines, options, diagnostics);
        }
        Artifacts artifacts = new Artifacts();
        int errorsBefore = diagnostics.errorCount();
        BackendOptions partOptions = new BackendOptions(options.prefix(), false, options.sandbox());
        List<Host> hosts = new ArrayList<>();
        Map<String, String> labs = new HashMap<>();
        Map<String, Artifacts> scripts = new java.util.LinkedHashMap<>();
        for (MachineTarget m : machines) {
            Artifacts part = new BashBackend().generate(m.part(), partOptions, diagnostics);
            if (part.files().isEmpty()) {
                continue;
            }
            Host h = host(m, part.content("apply.sh"));
            String other = labs.putIfAbsent(h.lab(), m.name());
            if (other != null) {
                throw new IllegalStateException("machines " + other + " and " + m.name() + " have parts with one name ("
                        + h.lab() + "): their records on a shared machine would collide");
            }
            hosts.add(h);
            scripts.put(m.name(), part);
        }
        if (options.sandbox()) {
            sandboxChecks(machines, options, diagnostics);
        }
        if (diagnostics.errorCount() > errorsBefore) {
            return new Artifacts();
        }
        Deployment d = new Deployment(topology, options.prefix(), options.sandbox(), hosts,
                options.sandbox() ? sandbox(machines, hosts, options, false) : null);
        artifacts.add("inventory.ini", Templates.render(GROUP, "inventory", "d", d));
        for (Host h : hosts) {
            artifacts.add("host_vars/" + h.name() + ".yml", Templates.render(GROUP, "hostVars", "h", h));
        }
        artifacts.add("deploy.yml", Templates.render(GROUP, "deploy", "d", d));
        artifacts.add("teardown.yml", Templates.render(GROUP, "teardown", "d", d));
        artifacts.add("check.yml", Templates.render(GROUP, "check", "d", d));
        artifacts.add("check-probe.yml", Templates.render(GROUP, "checkProbe", "d", d));
        artifacts.add("probe.py", ProbeScript.text());
        for (var e : scripts.entrySet()) {
            for (var f : e.getValue().files().entrySet()) {
                artifacts.add("machines/" + e.getKey() + "/" + f.getKey(), f.getValue().content(), f.getValue().executable());
            }
        }
        if (options.sandbox()) {
            artifacts.add("sandbox-up.sh", Templates.render(GROUP, "sandboxUp", "s", d.sandbox()), true);
            artifacts.add("sandbox-down.sh", Templates.render(GROUP, "sandboxDown", "s", d.sandbox()), true);
        }
        return artifacts;
    }

    /** The view of one inventory host. */
    record Host(String name, String ssh, String lab, String dir, int steps, String plan, List<String> namespaces) {}

    /** The view of the whole deployment; {@code sandbox} is null without {@code --sandbox}. */
    record Deployment(String topology, String prefix, boolean sandboxed, List<Host> hosts, Sandbox sandbox) {}

    /**
     * The sandbox: namespaces standing in for the machines, on one bridge.
     *
     * @param machines each machine's namespace, cable and sshd
     * @param control the controller's namespace and cable
     * @param nodeNamespaces every node namespace the parts create (sandbox-down removes what a teardown left)
     */
    record Sandbox(String prefix, String fabric, List<SbMachine> machines, SbMachine control, List<String> nodeNamespaces,
            List<Host> hosts, boolean networkd, List<SbExternal> externals) {
        /** The /proc/sys paths of br_netfilter's switches, set to 0 in each namespace sandbox-up.sh makes. */
        public List<String> bridgeNetfilter() {
            return dev.topoc.compiler.model.Sysctls.BRIDGE_NETFILTER.stream().map(dev.topoc.compiler.model.Sysctls::procPath).toList();
        }
    }

    /**
     * An external node behind machines' physical NICs, built by sandbox-up.sh as namespace {@code ns}.
     *
     * @param nics its ends cabled to the machines' NICs
     * @param loAddresses {@code ADDR/LEN} on its {@code lo}
     * @param routes the words after {@code ip route replace} of each of its routes
     */
    record SbExternal(String name, String ns, List<SbNic> nics, List<String> loAddresses, List<String> routes) {
        public List<String> loAddressArgs() {
            return loAddresses.stream().map(a -> a.contains(":") ? a + " nodad" : a).toList();
        }
    }

    /**
     * One cable from an external node to a machine's physical NIC: a veth whose end {@code dev} is in the external
     * node's namespace and whose other end, named as the NIC ({@code nic}), is in the machine's namespace {@code machineNs}.
     */
    record SbNic(String dev, String machineNs, String nic, Integer mtu, String mac, boolean up, List<String> addresses) {
        public List<String> addressArgs() {
            return addresses.stream().map(a -> a.contains(":") ? a + " nodad" : a).toList();
        }
    }

    /**
     * One namespace on the fabric.
     *
     * @param dev its end of the cable, {@code peer} the bridge port in the fabric namespace
     * @param addresses {@code ADDR/LEN} on {@code dev} ({@code nodad} is added for IPv6 in the template)
     * @param routes host routes ({@code ADDR/32} or {@code /128}) to every other address on the fabric
     * @param lab the record key of the machine's part, {@code dir} where its scripts are copied (null for the controller)
     */
    record SbMachine(String name, String ns, String ssh, String dev, String peer, List<String> addresses, List<String> routes,
            String lab, String dir) {
        /** The words after {@code ip address add} for each address: IPv6 ones without duplicate detection. */
        public List<String> addressArgs() {
            return addresses.stream().map(a -> a.contains(":") ? a + " nodad" : a).toList();
        }
    }

    private static final Pattern LINE = Pattern.compile("(?m)^(LAB|TOTAL|PLAN_HASH|NAMESPACES)=(.*)$");

    /** The facts of a part that the playbooks use, read from the lines of its apply.sh that carry them. */
    static Host host(MachineTarget m, String apply) {
        Map<String, String> v = new HashMap<>();
        Matcher x = LINE.matcher(apply);
        while (x.find()) {
            v.putIfAbsent(x.group(1), x.group(2));
        }
        String lab = unquote(v.get("LAB"));
        String list = v.get("NAMESPACES");
        List<String> namespaces = new ArrayList<>();
        for (String w : list.substring(1, list.length() - 1).split(" ")) {
            if (!w.isEmpty()) {
                namespaces.add(unquote(w));
            }
        }
        return new Host(m.name(), m.ssh(), lab, REMOTE_ROOT + lab, Integer.parseInt(v.get("TOTAL")), v.get("PLAN_HASH"),
                namespaces);
    }

    private static String unquote(String w) {
        return w.length() >= 2 && w.startsWith("'") && w.endsWith("'") ? w.substring(1, w.length() - 1) : w;
    }

    /** What the sandbox cannot provide (E0871–E0873), for either {@link Via}. */
    static void sandboxChecks(List<MachineTarget> machines, BackendOptions options, Diagnostics diagnostics) {
        sandboxClashes(machines, options, diagnostics);
        for (MachineTarget m : machines) {
            sandboxPhysicals(m, diagnostics);
            if (!new IPAddressString(m.ssh()).isIPAddress()) {
                diagnostics.report(AnsibleCode.ANSIBLE_SANDBOX_HOST_NAME, m.span(), m.name(), m.ssh());
            }
        }
        externals(machines, options, diagnostics);
    }

    /** The sandbox's own namespaces are named like nodes' ({@code P+name}): a node may not take one. */
    private static void sandboxClashes(List<MachineTarget> machines, BackendOptions options, Diagnostics diagnostics) {
        Set<String> own = new LinkedHashSet<>(List.of("control", "fabric"));
        machines.forEach(m -> own.add(m.name()));
        for (MachineTarget m : machines) {
            for (Node n : m.part().nodes()) {
                if (n.kind() != NodeKind.ROOT && own.contains(n.name())) {
                    String use = m.name().equals(n.name()) || machines.stream().anyMatch(o -> o.name().equals(n.name()))
                            ? "machine `" + n.name() + "`" : "its " + n.name() + " namespace";
                    diagnostics.report(AnsibleCode.ANSIBLE_SANDBOX_NAME_TAKEN, n.span(), n.name(),
                            options.namespace(n.name()), use);
                }
            }
        }
    }

    /**
     * In the sandbox a machine's NICs are its cable to the fabric, which carries the underlay, and for each other
     * {@code physical} interface of its default namespace a cable to the {@code external} node its link leads to
     * ({@link #externals}): a physical NIC cabled to nothing else (no link, or a link to a node that is not external)
     * does not exist there (E0873), nor does what the sandbox does not build of such an external node (E0874).
     */
    private static void sandboxPhysicals(MachineTarget m, Diagnostics diagnostics) {
        for (Behind b : behind(m)) {
            if (b.external() == null) {
                diagnostics.report(AnsibleCode.ANSIBLE_SANDBOX_PHYSICAL, b.nic().span(), b.root().name(), b.nic().name(), m.name());
            }
        }
    }

    /** A physical NIC of a machine's root node that is not its underlay, and the external node's end of its link (null: none). */
    record Behind(MachineTarget machine, Node root, Interface nic, Link link, Node external, Interface end) {}

    static List<Behind> behind(MachineTarget m) {
        Cidr underlay = m.underlay() == null ? null : underlayOf(m.part(), m.underlay());
        Map<String, Node> nodes = m.part().nodesByName();
        List<Behind> out = new ArrayList<>();
        for (Node n : m.part().nodes()) {
            if (n.kind() != NodeKind.ROOT) {
                continue;
            }
            for (Interface f : n.interfaces()) {
                if (f.ifKind() != IfKind.PHYSICAL || underlay != null && f.addresses().contains(underlay)) {
                    continue;
                }
                Behind found = new Behind(m, n, f, null, null, null);
                for (Link l : m.part().links()) {
                    IfRef far = l.a().equals(f.ref()) ? l.b() : l.b().equals(f.ref()) ? l.a() : null;
                    Node x = far == null ? null : nodes.get(far.node());
                    if (x != null && x.kind() == NodeKind.EXTERNAL) {
                        Interface end = x.interfaces().stream().filter(i -> i.name().equals(far.iface())).findFirst().orElse(null);
                        if (end != null) {
                            found = new Behind(m, n, f, l, x, end);
                        }
                    }
                }
                out.add(found);
            }
        }
        return out;
    }

    /**
     * The external nodes the sandbox builds: each one a physical NIC of a machine leads to, once (by name), with its
     * cabled ends; what it declares beyond those ends' addresses, mtu and mac, its {@code lo} addresses and its
     * routes is reported (E0874) when {@code diagnostics} is given.
     */
    static List<SbExternal> externals(List<MachineTarget> machines, BackendOptions options, Diagnostics diagnostics) {
        Map<String, List<Behind>> byNode = new java.util.LinkedHashMap<>();
        for (MachineTarget m : machines) {
            for (Behind b : behind(m)) {
                if (b.external() != null) {
                    byNode.computeIfAbsent(b.external().name(), k -> new ArrayList<>()).add(b);
                }
            }
        }
        List<SbExternal> out = new ArrayList<>();
        for (List<Behind> cabled : byNode.values()) {
            Node x = cabled.get(0).external();
            String machine = cabled.get(0).machine().name();
            if (diagnostics != null) {
                externalChecks(x, cabled, machine, diagnostics);
            }
            List<SbNic> nics = new ArrayList<>();
            for (Behind b : cabled) {
                IfCommon c = b.end().common();
                Integer mtu = c.mtu() != null ? c.mtu() : b.link().mtu();
                nics.add(new SbNic(b.end().name(), options.namespace(b.machine().name()), b.nic().name(), mtu, c.mac(), c.up(),
                        cidrs(c.addresses())));
            }
            List<String> lo = new ArrayList<>();
            x.interfaces(Interface.Loopback.class).forEach(i -> lo.addAll(cidrs(i.addresses())));
            List<String> routes = x.routes().stream().map(BashBackend::routeArgs).toList();
            out.add(new SbExternal(x.name(), options.namespace(x.name()), nics, lo, routes));
        }
        return out;
    }

    private static void externalChecks(Node x, List<Behind> cabled, String machine, Diagnostics diagnostics) {
        List<String> ends = cabled.stream().map(b -> b.end().name()).toList();
        if (x.forwarding()) {
            diagnostics.report(AnsibleCode.ANSIBLE_SANDBOX_EXTERNAL, x.span(), x.name(), "forwarding", machine);
        }
        x.rules().forEach(r -> diagnostics.report(AnsibleCode.ANSIBLE_SANDBOX_EXTERNAL, r.span(), x.name(), "rule", machine));
        x.nat().forEach(r -> diagnostics.report(AnsibleCode.ANSIBLE_SANDBOX_EXTERNAL, r.span(), x.name(), "nat", machine));
        x.firewall().forEach(c -> diagnostics.report(AnsibleCode.ANSIBLE_SANDBOX_EXTERNAL, c.span(), x.name(), "firewall", machine));
        x.runs().forEach(r -> diagnostics.report(AnsibleCode.ANSIBLE_SANDBOX_EXTERNAL, r.span(), x.name(), "run", machine));
        x.sysctl().keySet().forEach(k -> diagnostics.report(AnsibleCode.ANSIBLE_SANDBOX_EXTERNAL, x.span(), x.name(), k, machine));
        for (Interface i : x.interfaces()) {
            IfCommon c = i.common();
            if (i.ifKind() == IfKind.LOOPBACK) {
                if (c.mtu() != null) {
                    diagnostics.report(AnsibleCode.ANSIBLE_SANDBOX_EXTERNAL, i.span(), x.name(), "mtu", machine);
                }
                if (c.mac() != null) {
                    diagnostics.report(AnsibleCode.ANSIBLE_SANDBOX_EXTERNAL, i.span(), x.name(), "mac", machine);
                }
                if (!c.up()) {
                    diagnostics.report(AnsibleCode.ANSIBLE_SANDBOX_EXTERNAL, i.span(), x.name(), "up", machine);
                }
            } else if (!ends.contains(i.name())) {
                diagnostics.report(AnsibleCode.ANSIBLE_SANDBOX_EXTERNAL, i.span(), x.name(), i.name(), machine);
            } else {
                if (c.master() != null) {
                    diagnostics.report(AnsibleCode.ANSIBLE_SANDBOX_EXTERNAL, i.span(), x.name(), "master", machine);
                }
                if (c.hairpin()) {
                    diagnostics.report(AnsibleCode.ANSIBLE_SANDBOX_EXTERNAL, i.span(), x.name(), "hairpin", machine);
                }
            }
        }
    }

    private static List<String> cidrs(List<Cidr> addresses) {
        return addresses.stream().map(a -> a.address().toCanonicalString() + "/" + a.prefixLength()).toList();
    }

    static Sandbox sandbox(List<MachineTarget> machines, List<Host> hosts, BackendOptions options, boolean networkd) {
        record Cable(String name, String ssh, String dev, List<String> addresses) {}
        List<Cable> cables = new ArrayList<>();
        Set<String> taken = new LinkedHashSet<>();
        for (MachineTarget m : machines) {
            String dev = "underlay0";
            List<String> addresses = new ArrayList<>();
            Cidr declared = m.underlay() == null ? null : underlayOf(m.part(), m.underlay());
            if (declared != null) {
                dev = underlayDev(m.part(), declared);
                addresses.add(declared.address().toCanonicalString() + "/" + declared.prefixLength());
            } else if (m.underlay() != null) {
                addresses.add(host(m.underlay()));
            }
            if (!addresses.contains(host(m.ssh()))) {
                addresses.add(host(m.ssh()));
            }
            cables.add(new Cable(m.name(), m.ssh(), dev, addresses));
            taken.add(bare(m.ssh()));
            if (m.underlay() != null) {
                taken.add(bare(m.underlay()));
            }
        }
        List<String> controlAddresses = new ArrayList<>();
        controlAddresses.add(host(free("198.18.255.254", taken)));
        if (machines.stream().anyMatch(m -> !new IPAddressString(m.ssh()).getAddress().isIPv4())) {
            controlAddresses.add(host(free("fd00:7c::fe", taken)));
        }
        cables.add(new Cable("control", null, "eth0", controlAddresses));
        List<SbMachine> views = new ArrayList<>();
        int i = 0;
        for (Cable c : cables) {
            List<String> routes = new ArrayList<>();
            for (Cable o : cables) {
                if (o != c) {
                    o.addresses().forEach(a -> routes.add(host(a.substring(0, a.indexOf('/')))));
                }
            }
            i++;
            String ns = options.namespace(c.name());
            Host h = hosts.stream().filter(x -> x.name().equals(c.name())).findFirst().orElse(null);
            views.add(new SbMachine(c.name(), ns, c.ssh(), c.dev(), "p" + i, c.addresses(), routes,
                    h == null ? null : h.lab(), h == null ? null : h.dir()));
        }
        SbMachine control = views.remove(views.size() - 1);
        Set<String> nodes = new LinkedHashSet<>();
        hosts.forEach(h -> nodes.addAll(h.namespaces()));
        return new Sandbox(options.prefix(), options.namespace("fabric"), views, control, List.copyOf(nodes), hosts, networkd,
                externals(machines, options, null));
    }

    /** The part's root-node address that is the machine's underlay, if the part declares it. */
    static Cidr underlayOf(Topology part, String underlay) {
        IPAddress u = new IPAddressString(underlay).getAddress();
        for (Node n : part.nodes()) {
            if (n.kind() != NodeKind.ROOT) {
                continue;
            }
            for (Interface f : n.interfaces()) {
                for (Cidr c : f.addresses()) {
                    if (c.address().equals(u.withoutPrefixLength())) {
                        return c;
                    }
                }
            }
        }
        return null;
    }

    static String underlayDev(Topology part, Cidr declared) {
        for (Node n : part.nodes()) {
            for (Interface f : n.interfaces()) {
                if (n.kind() == NodeKind.ROOT && f.addresses().contains(declared)) {
                    return f.name();
                }
            }
        }
        return "underlay0";
    }

    private static String bare(String address) {
        return new IPAddressString(address).getAddress().withoutPrefixLength().toCanonicalString();
    }

    private static String host(String address) {
        IPAddress a = new IPAddressString(address).getAddress().withoutPrefixLength();
        return a.toCanonicalString() + (a.isIPv4() ? "/32" : "/128");
    }

    private static String free(String start, Set<String> taken) {
        IPAddress a = new IPAddressString(start).getAddress();
        while (taken.contains(a.toCanonicalString())) {
            a = a.increment(-1);
        }
        return a.toCanonicalString();
    }
}
