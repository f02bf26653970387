package dev.topoc.backends.networkd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.topoc.backends.ArtifactWriter;
import dev.topoc.backends.Artifacts;
import dev.topoc.backends.BackendOptions;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostic;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.Expectation;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.Proto;
import dev.topoc.compiler.model.Topology;
import dev.topoc.compiler.syntax.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * End to end, for real: every sample is compiled with {@code --sandbox}, brought up by
 * {@code sandbox-up.sh} (one namespace per node, each configured by the real systemd-networkd), every
 * {@code expect} line is probed (ping; TCP/UDP against a bounded python3 listener in every namespace,
 * which answers with its node's name, so {@code lands} is checked too), and {@code sandbox-down.sh}
 * must leave no namespace and no process. Also fails on any networkd complaint about our units and on
 * any link left without its configured addresses. {@code via} is not checked here (the simulator does).
 *
 * <p>Samples networkd cannot express must be refused with E0850 at the line of the sub-interface;
 * samples needing a kernel feature this machine lacks are skipped by an assumption naming it;
 * star-1000 (1,000 networkd processes) runs only with {@code -Dtopoc.e2e.large=true}.
 */
class NetworkdSandboxTest {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    /** networkd's log lines that mean it did not take a unit as written. */
    private static final Pattern COMPLAINT = Pattern.compile(
            "(?i)unknown|invalid|ignoring|failed|not supported|cannot|could not|warning|deprecated");
    /** The system's python3 itself (not a version-manager shim), so killing the process ends the listener. */
    private static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    private static final String LISTENER = """
            import selectors, socket, sys, time
            name, specs, end = sys.argv[1].encode(), sys.argv[2].split(','), time.time() + float(sys.argv[3])
            sel = selectors.DefaultSelector()
            for spec in specs:
                proto, rest = spec.split('/')
                port, _, addr = rest.partition('@')
                family = socket.AF_INET if '.' in addr else socket.AF_INET6  # no address: IPv6 and IPv4 (dual-stack ::)
                s = socket.socket(family, socket.SOCK_STREAM if proto == 'tcp' else socket.SOCK_DGRAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                if family == socket.AF_INET6:
                    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
                s.bind((addr or '::', int(port)))
                if proto == 'tcp':
                    s.listen(16)
                s.setblocking(False); sel.register(s, selectors.EVENT_READ, proto)
            print('ready', flush=True)
            while time.time() < end:
                for key, _ in sel.select(timeout=0.5):
                    s = key.fileobj
                    try:
                        if key.data == 'tcp':
                            c, _ = s.accept(); c.sendall(name); c.close()
                        else:
                            _, peer = s.recvfrom(512); s.sendto(name, peer)
                    except OSError:
                        pass
            """;
    private static final String CLIENT = """
            import socket, sys
            addr, port, proto = sys.argv[1], int(sys.argv[2]), sys.argv[3]
            try:
                if proto == 'tcp':
                    s = socket.create_connection((addr, port), timeout=2)
                    try:
                        print(s.recv(512).decode())
                    except socket.timeout:
                        print('(connected)')  # a `run` server waits for a request
                else:
                    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(1)
                    for _ in range(2):
                        s.sendto(b'x', (addr, port))
                        try:
                            print(s.recvfrom(512)[0].decode()); break
                        except socket.timeout:
                            pass
                    else:
                        sys.exit(1)
            except OSError as e:
                print(e); sys.exit(1)
            """;

    @Test
    void aRunBecomesAServiceUnitAndSandboxUpStartsItAsAProcess() throws Exception {
        Compilation c = Compiler.compile(new SourceFile("svc.topo", """
                topology svc
                node a {
                  iface eth0 { address 10.7.0.1/24 }
                  run "echo 'a b' $HOME 50% > /dev/null; exec sleep 300"
                }
                node b { iface eth0 { address 10.7.0.2/24 }  sysctl net.bridge.bridge-nf-call-ip6tables 1 }
                link a:eth0 -- b:eth0
                """));
        assertTrue(c.ok(), () -> c.diagnostics().all().toString());
        String prefix = "tnd" + ProcessHandle.current().pid() % 100000 + "s" + COUNTER.incrementAndGet() + "-";
        Diagnostics d = new Diagnostics();
        Artifacts artifacts = new NetworkdBackend().generate(c.model(), new BackendOptions(prefix, true), d);
        assertFalse(d.hasErrors(), () -> d.all().toString());
        String unit = artifacts.files().get("a/systemd/system/topoc-run-1.service").content();
        // systemd's own quoting: C escapes in double quotes, %% for %, $$ for $
        assertTrue(unit.contains("\nExecStart=/bin/sh -c \"echo 'a b' $$HOME 50%% > /dev/null; exec sleep 300\"\n"), unit);
        assertTrue(unit.contains("\nAfter=network-online.target\nWants=network-online.target\n"), unit);
        assertFalse(artifacts.files().containsKey("b/systemd/system/topoc-run-1.service"));
        // br_netfilter's switches in every node's file: `-KEY = 0` (systemd-sysctl skips a key the kernel lacks), the
        // file's own value as written
        String sysctlA = artifacts.files().get("a/" + NetworkdBackend.SYSCTL_FILE).content();
        String sysctlB = artifacts.files().get("b/" + NetworkdBackend.SYSCTL_FILE).content();
        for (String key : List.of("iptables", "ip6tables", "arptables")) {
            assertTrue(sysctlA.contains("\n-net.bridge.bridge-nf-call-" + key + " = 0\n"), sysctlA);
        }
        assertTrue(sysctlB.contains("\n-net.bridge.bridge-nf-call-iptables = 0\n") && sysctlB.contains("\nnet.bridge.bridge-nf-call-ip6tables = 1")
                && !sysctlB.contains("-net.bridge.bridge-nf-call-ip6tables"), sysctlB);
        assumeTrue(Sh.isRoot() && Sh.onPath("ip") && Files.isExecutable(Path.of("/lib/systemd/systemd-networkd")),
                "needs root, ip and /lib/systemd/systemd-networkd");
        Path dir = Files.createTempDirectory("topoc-networkd-" + prefix);
        ArtifactWriter.write(artifacts, dir);
        Path down = dir.resolve("sandbox-down.sh");
        try {
            Sh.Result up = Sh.run(90, List.of(dir.resolve("sandbox-up.sh").toString()));
            assertEquals(0, up.code(), up.output());
            List<String> pids = Files.readAllLines(dir.resolve(".sandbox/a.runs"));
            assertEquals(1, pids.size(), pids.toString());
            long pid = Long.parseLong(pids.get(0).trim());
            for (int i = 0; i < 100 && !Sh.run(10, List.of("ip", "netns", "identify", String.valueOf(pid))).output().trim().equals(prefix + "a"); i++) {
                Thread.sleep(20);
            }
            assertEquals(prefix + "a", Sh.run(10, List.of("ip", "netns", "identify", String.valueOf(pid))).output().trim(),
                    "the run is a process in a's namespace");
            String cmdline = Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ').trim();
            assertEquals("sleep 300", cmdline, "the command ran through /bin/sh -c as written");
            Path nf = Path.of("/proc/sys/net/bridge/bridge-nf-call-iptables");
            if (Files.exists(nf)) { // br_netfilter loaded: a new namespace starts at 1, the sandbox pins the file's values
                assertEquals("0", Sh.run(10, List.of("ip", "netns", "exec", prefix + "a", "cat", nf.toString())).output().trim());
                assertEquals("0", Sh.run(10, List.of("ip", "netns", "exec", prefix + "b", "cat", nf.toString())).output().trim());
                assertEquals("1", Sh.run(10, List.of("ip", "netns", "exec", prefix + "b", "cat",
                        "/proc/sys/net/bridge/bridge-nf-call-ip6tables")).output().trim());
                assertEquals("0", Sh.run(10, List.of("ip", "netns", "exec", prefix + "a", "cat",
                        "/proc/sys/net/bridge/bridge-nf-call-arptables")).output().trim());
            }
            Sh.Result stopped = Sh.run(60, List.of(down.toString()));
            assertEquals(0, stopped.code(), stopped.output());
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "sandbox-down stops the run");
        } finally {
            Sh.run(60, List.of(down.toString()));
        }
    }

    @TestFactory
    Stream<DynamicTest> everySampleComesUpWithTheRealNetworkd() throws IOException {
        Path samples = Path.of(System.getProperty("topoc.root", "..")).resolve("samples");
        List<Path> files;
        try (Stream<Path> s = Files.list(samples)) {
            files = s.filter(p -> p.toString().endsWith(".topo")).sorted().toList();
        }
        assertTrue(files.size() >= 25, "samples found: " + files);
        // -Dtopoc.e2e.only=NAME runs the samples whose file name starts with NAME
        String only = System.getProperty("topoc.e2e.only", "");
        return files.stream().filter(f -> f.getFileName().toString().startsWith(only)).map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> sample(f)));
    }

    private void sample(Path file) throws Exception {
        Compilation c = Compiler.compile(new SourceFile(file.toString(), Files.readString(file)));
        assertTrue(c.ok(), () -> file + " is invalid: " + c.diagnostics().all());
        Topology model = c.model();
        String prefix = "tnd" + ProcessHandle.current().pid() % 100000 + "n" + COUNTER.incrementAndGet() + "-";
        Diagnostics d = new Diagnostics();
        Artifacts artifacts = new NetworkdBackend().generate(model, new BackendOptions(prefix, true), d);
        if (model.machines().size() > 1) { // the networkd backend does not stitch machines: refused, not built
            assertEquals(List.of(NetworkdCode.NETWORKD_MACHINES), d.all().stream().map(x -> x.code()).toList(),
                    () -> file + ": " + d.all());
            assertTrue(artifacts.files().isEmpty(), file + ": nothing is written");
            return;
        }
        List<Interface> foreign = foreignSubInterfaces(model);
        if (!foreign.isEmpty()) {
            assertRefused(d, foreign);
            return;
        }
        assertFalse(d.hasErrors(), () -> "refused: " + d.all());
        for (String kind : List.of("vlan", "ipvlan", "dummy")) {
            boolean uses = model.nodes().stream().flatMap(n -> n.interfaces().stream()).anyMatch(i -> i.kind().equals(kind));
            assumeTrue(!uses || KernelFeatures.canCreate(kind), "this kernel cannot create " + kind
                    + " interfaces (" + (kind.equals("vlan") ? "8021q" : kind) + " missing)");
        }
        assumeTrue(model.nodes().size() <= 50 || Boolean.getBoolean("topoc.e2e.large"),
                "a " + model.nodes().size() + "-node sandbox runs only with -Dtopoc.e2e.large=true");
        assumeTrue(Sh.isRoot() && Sh.onPath("ip") && Sh.onPath("nft") && Sh.onPath("ping") && Sh.onPath("python3")
                && Files.isExecutable(Path.of("/lib/systemd/systemd-networkd")),
                "needs root, ip, nft, ping, python3 and /lib/systemd/systemd-networkd (installed by .ci/run)");

        Path dir = Files.createTempDirectory("topoc-networkd-" + prefix);
        ArtifactWriter.write(artifacts, dir);
        Path down = dir.resolve("sandbox-down.sh");
        Thread hook = new Thread(() -> Sh.run(60, List.of(down.toString())));
        Runtime.getRuntime().addShutdownHook(hook);
        List<Process> listeners = new ArrayList<>();
        List<Long> networkdPids = new ArrayList<>();
        try {
            long t0 = System.nanoTime();
            Sh.Result up = Sh.run(90, List.of(dir.resolve("sandbox-up.sh").toString()));
            networkdPids.addAll(pids(dir));
            String logs = logs(dir);
            assertEquals(0, up.code(), () -> "sandbox-up failed:\n" + up.output() + "\nnetworkd logs:\n" + logs);
            assertEquals(model.nodes().size(), networkdPids.size(), "one networkd per node");
            for (long pid : networkdPids) {
                assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "networkd " + pid + " is running");
            }
            assertNoComplaint(logs);
            assertAddresses(model, prefix);
            List<String> failures = new ArrayList<>();
            String ports = startListeners(model, prefix, listeners);
            for (Expectation e : model.expectations()) {
                String problem = probe(model, prefix, e);
                if (problem != null) {
                    failures.add(file.getFileName() + ":" + e.span().line() + ": " + problem);
                }
            }
            assertNoComplaint(logs(dir));
            System.err.printf("%s: up+probes %.1f s%n", file.getFileName(), (System.nanoTime() - t0) / 1e9);
            assertTrue(failures.isEmpty(), () -> String.join("\n", failures) + "\n(listeners: " + ports + ")");
        } finally {
            listeners.forEach(p -> p.destroyForcibly());
            for (Process p : listeners) {
                p.waitFor(5, TimeUnit.SECONDS);
            }
            long t1 = System.nanoTime();
            Sh.Result down1 = Sh.run(60, List.of(down.toString()));
            System.err.printf("%s: down %.1f s%n", file.getFileName(), (System.nanoTime() - t1) / 1e9);
            Runtime.getRuntime().removeShutdownHook(hook);
            List<String> left = Sh.namespaces().stream().filter(n -> n.startsWith(prefix)).toList();
            assertTrue(left.isEmpty(), "namespaces left: " + left + "\n" + down1.output());
            for (long pid : networkdPids) {
                assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "networkd " + pid + " still runs");
            }
            assertEquals(0, down1.code(), down1.output());
        }
    }

    /** Sub-interfaces whose parent is on another node: networkd cannot express them (E0850). */
    static List<Interface> foreignSubInterfaces(Topology model) {
        List<Interface> out = new ArrayList<>();
        for (Node n : model.nodes()) {
            for (Interface i : n.interfaces()) {
                String parentNode = i instanceof Interface.Macvlan m ? m.parent().node()
                        : i instanceof Interface.Ipvlan p ? p.parent().node()
                        : i instanceof Interface.Vlan v ? v.parent().node() : n.name();
                if (!parentNode.equals(n.name())) {
                    out.add(i);
                }
            }
        }
        return out;
    }

    static void assertRefused(Diagnostics d, List<Interface> foreign) {
        List<Diagnostic> errors = d.all().stream().filter(Diagnostic::isError).toList();
        assertEquals(foreign.size(), errors.size(), () -> "one E0850 per foreign sub-interface: " + errors);
        for (int k = 0; k < foreign.size(); k++) {
            Interface i = foreign.get(k);
            Diagnostic e = errors.get(k);
            assertEquals(dev.topoc.backends.networkd.NetworkdCode.NETWORKD_FOREIGN_PARENT, e.code());
            assertEquals(i.span().line(), e.span().line(), "the diagnostic points at the sub-interface's line");
            assertTrue(e.message().contains("cannot move it"), e.message());
            assertTrue(e.message().contains(i.name()), e.message());
        }
    }

    private static List<Long> pids(Path dir) throws IOException {
        Path state = dir.resolve(".sandbox");
        if (!Files.isDirectory(state)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(state)) {
            return s.filter(p -> p.toString().endsWith(".pid")).sorted().map(p -> {
                try {
                    return Long.parseLong(Files.readString(p).trim());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    private static String logs(Path dir) throws IOException {
        Path state = dir.resolve(".sandbox");
        if (!Files.isDirectory(state)) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> s = Files.list(state)) {
            for (Path p : s.filter(x -> x.toString().endsWith(".log")).sorted().toList()) {
                Files.readAllLines(p).forEach(l -> sb.append(p.getFileName()).append(": ").append(l).append('\n'));
            }
        }
        return sb.toString();
    }

    static void assertNoComplaint(String logs) {
        List<String> bad = logs.lines().filter(l -> COMPLAINT.matcher(l).find()).toList();
        assertTrue(bad.isEmpty(), () -> "networkd complained:\n" + String.join("\n", bad));
    }

    /** Every configured address is on its interface, as the kernel reports it. */
    private static void assertAddresses(Topology model, String prefix) {
        for (Node n : model.nodes()) {
            String out = Sh.run("ip", "-n", prefix + n.name(), "-o", "addr", "show").output();
            Map<String, TreeSet<String>> have = new TreeMap<>();
            for (String line : out.lines().toList()) {
                String[] t = line.trim().split("\\s+");
                if (t.length > 3 && t[2].startsWith("inet")) {
                    have.computeIfAbsent(t[1], k -> new TreeSet<>()).add(t[3]);
                }
            }
            for (Interface i : n.interfaces()) {
                for (Cidr a : i.addresses()) {
                    assertTrue(have.getOrDefault(i.name(), new TreeSet<>()).contains(a.toString()),
                            () -> n.name() + ":" + i.name() + " lacks " + a + "; the kernel has " + have);
                }
            }
        }
    }

    /**
     * In each namespace of a node that listens and runs nothing, a listener on exactly the node's {@code listen}s
     * (ranges port by port), answering with the node's name (a node's {@code run}s, started by sandbox-up.sh from
     * its service units, serve its listens); returns what listens where.
     */
    private static String startListeners(Topology model, String prefix, List<Process> out) throws Exception {
        List<String> all = new ArrayList<>();
        for (Node n : model.nodes()) {
            List<String> specs = new ArrayList<>();
            for (var l : n.listens()) {
                for (int port = l.ports().lo(); port <= l.ports().hi(); port++) {
                    specs.add(l.proto().word() + "/" + port + (l.on() == null ? "" : "@" + l.on().toCanonicalString()));
                }
            }
            if (specs.isEmpty() || !n.runs().isEmpty()) {
                continue;
            }
            String list = String.join(",", specs);
            all.add(n.name() + " " + list);
            Process p = new ProcessBuilder("ip", "netns", "exec", prefix + n.name(), PYTHON, "-c", LISTENER, n.name(), list, "120")
                    .redirectErrorStream(true).start();
            out.add(p);
            String first = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine();
            assertEquals("ready", first, "listener in " + n.name());
        }
        return String.join("; ", all);
    }

    /** Null when the kernel agrees with the expectation, else what it did instead. */
    private static String probe(Topology model, String prefix, Expectation e) {
        String address = address(model, e);
        String ns = prefix + e.from();
        if (e.proto() == Proto.ICMP || e.port() == null) {
            boolean reached = Sh.run(15, List.of("ip", "netns", "exec", ns, "ping", "-n", "-q", "-c", e.reach() ? "3" : "1",
                    "-i", "0.2", "-W", "1", address)).ok();
            return reached == e.reach() ? null
                    : "ping " + e.from() + " -> " + address + (reached ? " answered" : " got no answer") + ", expected "
                    + (e.reach() ? "reach" : "noreach");
        }
        String proto = e.proto() == Proto.UDP ? "udp" : "tcp";
        Sh.Result r = Sh.run(15, List.of("ip", "netns", "exec", ns, PYTHON, "-c", CLIENT, address, e.port().toString(), proto));
        boolean reached = r.ok();
        if (reached != e.reach()) {
            return proto + " " + e.from() + " -> " + address + ":" + e.port() + (reached ? " answered by " + r.output().trim()
                    : " got no answer (" + r.output().trim() + ")") + ", expected " + (e.reach() ? "reach" : "noreach");
        }
        // a stand-in answers with its node's name; a `run` server names no node (check --live counts who accepted)
        if (reached && e.lands() != null && model.node(r.output().trim()).isPresent() && !r.output().trim().equals(e.lands())) {
            return proto + " " + e.from() + " -> " + address + ":" + e.port() + " landed on " + r.output().trim()
                    + ", expected " + e.lands();
        }
        return null;
    }

    /** The address an expectation aims at: given, the interface's first, or the node's first not on 127/8. */
    static String address(Topology model, Expectation e) {
        if (e.to().address() != null) {
            return e.to().address().toCanonicalString();
        }
        Node n = model.node(e.to().node()).orElseThrow();
        Stream<Interface> candidates = e.to().iface() == null ? n.interfaces().stream()
                : n.interfaces().stream().filter(i -> i.name().equals(e.to().iface()));
        // the expect's family (`v6`, YAML `family: 6`), else the first address
        return candidates.flatMap(i -> i.addresses().stream()).filter(a -> !a.address().isLoopback())
                .filter(a -> e.family() == null || (e.family() == 6) == a.address().isIPv6())
                .map(a -> a.address().toCanonicalString()).findFirst()
                .orElseGet(() -> fail("no address to aim at for " + e.to()));
    }
}
