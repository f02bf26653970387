package dev.topoc.backends.lab;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.topoc.backends.ArtifactWriter;
import dev.topoc.backends.Artifacts;
import dev.topoc.backends.BackendOptions;
import dev.topoc.backends.bash.BashBackend;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Topology;
import dev.topoc.compiler.syntax.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A topology compiled with {@code --sandbox} and a unique prefix into a temporary folder, whose scripts a
 * test runs for real. {@link #close()} destroys it and deletes whatever the scripts left with its prefix,
 * and a shutdown hook does the same for every lab of this JVM, so no namespace survives a failed test.
 */
public final class Lab implements AutoCloseable {
    /** Every namespace of this JVM's labs starts with this + "n" (short: interface names are not affected). */
    public static final String BASE = "tpc" + ProcessHandle.current().pid() % 100_000;
    private static final AtomicInteger COUNTER = new AtomicInteger();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> cleanUp(BASE + "n")));
    }

    public final Topology model;
    public final String prefix;
    public final Path dir;

    private Lab(Topology model, String prefix, Path dir) {
        this.model = model;
        this.prefix = prefix;
        this.dir = dir;
    }

    public static Lab of(Path sample) throws IOException {
        return of(sample.getFileName().toString(), Files.readString(sample));
    }

    public static Lab of(String fileName, String text) throws IOException {
        return of(fileName, text, BASE + "n" + COUNTER.incrementAndGet() + "-");
    }

    /**
     * A new unique prefix of this JVM's labs, for tests that choose prefixes themselves (it ends without `-`). It
     * ends with a letter, so that it is the start of no other lab's prefix (labs run in parallel: a test that looks
     * for namespaces starting with its prefix must not see another class's `...n12-` when its own is `...n1`).
     */
    public static String uniquePrefix() {
        return BASE + "n" + COUNTER.incrementAndGet() + "u";
    }

    /** As {@link #of(String, String)} with a given prefix, which must start with {@link #BASE} + "n" (cleaned up). */
    public static Lab of(String fileName, String text, String prefix) throws IOException {
        Compilation c = Compiler.compile(new SourceFile(fileName, text));
        assertTrue(c.ok(), () -> fileName + ": " + c.diagnostics().all());
        assertTrue(prefix.startsWith(BASE + "n"), prefix);
        Diagnostics d = new Diagnostics();
        Artifacts a = new BashBackend().generate(c.model(), new BackendOptions(prefix, true), d);
        assertTrue(!d.hasErrors(), () -> d.all().toString());
        Path dir = Files.createTempDirectory("topoc-bash");
        ArtifactWriter.write(a, dir);
        return new Lab(c.model(), prefix, dir);
    }

    /** Compiles {@code text} (another version of the file) with this lab's prefix over this lab's scripts. */
    public void recompile(String fileName, String text) throws IOException {
        Compilation c = Compiler.compile(new SourceFile(fileName, text));
        assertTrue(c.ok(), () -> fileName + ": " + c.diagnostics().all());
        Diagnostics d = new Diagnostics();
        Artifacts a = new BashBackend().generate(c.model(), new BackendOptions(prefix, true), d);
        assertTrue(!d.hasErrors(), () -> d.all().toString());
        ArtifactWriter.write(a, dir);
    }

    /** Skips the calling test unless this is root with ip, nft and python3 (installed by .ci/run). */
    public static void assumeMachine() {
        assumeTrue(isRoot() && onPath("ip") && onPath("nft") && onPath("python3"), "needs root, ip, nft and python3");
    }

    public Result apply(String... args) {
        return script("apply.sh", Map.of(), args);
    }

    public Result destroy(String... args) {
        return script("destroy.sh", Map.of(), args);
    }

    public Result script(String name, Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of("bash", dir.resolve(name).toString()));
        cmd.addAll(List.of(args));
        return run(env, 120, cmd.toArray(String[]::new));
    }

    public String namespace(String node) {
        return prefix + node;
    }

    /**
     * Sets {@code net.bridge.bridge-nf-call-iptables} (and ip6tables, arptables) of every namespace of the lab to
     * {@code on}. Once the br_netfilter module is loaded on the machine (it is on the project machines), every new
     * namespace starts with 1: bridged traffic then passes the IP hooks (nftables chains) of the bridge's node.
     * Returns whether the machine has br_netfilter at all (false: nothing to set, bridged traffic never does).
     */
    public boolean bridgeNetfilter(boolean on) {
        if (Files.notExists(Path.of("/proc/sys/net/bridge/bridge-nf-call-iptables"))) {
            return false;
        }
        String v = on ? "1" : "0";
        for (String ns : namespaces()) {
            Result r = run(Map.of(), 10, "ip", "netns", "exec", ns, "sh", "-c", "for k in iptables ip6tables arptables; do"
                    + " echo " + v + " > /proc/sys/net/bridge/bridge-nf-call-$k || exit 1; done");
            if (r.code() != 0) {
                throw new IllegalStateException("cannot set bridge-nf-call-* in " + ns + ": " + r);
            }
        }
        return true;
    }

    /** The namespaces on the machine that carry this lab's prefix. */
    public List<String> namespaces() {
        return namespacesWith(prefix);
    }

    public Path stateDir() {
        return Path.of("/run/topoc", prefix + "+" + model.name());
    }

    /** The address a node or interface target stands for: the first address of the interface, or of the node. */
    public static String addressOf(Topology model, String node, String iface) {
        var n = model.node(node).orElseThrow();
        for (Interface i : n.interfaces()) {
            if ((iface == null ? !(i instanceof Interface.Loopback) : i.name().equals(iface)) && !i.addresses().isEmpty()) {
                return i.addresses().get(0).address().toCanonicalString();
            }
        }
        return n.interfaces().stream().filter(i -> !i.addresses().isEmpty()).findFirst()
                .map(i -> i.addresses().get(0).address().toCanonicalString()).orElseThrow();
    }

    @Override
    public void close() {
        destroy("-q");
        cleanUp(prefix);
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder; nothing to undo
        }
    }

    /** Deletes namespaces and records whose names start with {@code prefix}. */
    public static void cleanUp(String prefix) {
        for (String ns : namespacesWith(prefix)) {
            // a workload (`run`, stand-in listener) left by a failed test would outlive its namespace
            Result pids = run(Map.of(), 30, "ip", "netns", "pids", ns);
            for (String pid : pids.out().split("\\s+")) {
                if (!pid.isBlank()) {
                    run(Map.of(), 30, "kill", "-KILL", pid.trim());
                }
            }
            run(Map.of(), 30, "ip", "netns", "del", ns);
        }
        try (Stream<Path> s = Files.list(Path.of("/run/topoc"))) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                run(Map.of(), 30, "rm", "-rf", p.toString());
            }
        } catch (IOException ignored) {
            // no records at all
        }
    }

    public static List<String> namespacesWith(String prefix) {
        try (Stream<Path> s = Files.list(Path.of("/run/netns"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    public record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    public static Result run(Map<String, String> env, int timeoutSeconds, String... cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().putAll(env);
            Path out = Files.createTempFile("topoc-out", ".txt");
            Path err = Files.createTempFile("topoc-err", ".txt");
            pb.redirectOutput(out.toFile());
            pb.redirectError(err.toFile());
            Process p = pb.start();
            boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor();
            }
            String o = Files.readString(out, StandardCharsets.UTF_8);
            String e = Files.readString(err, StandardCharsets.UTF_8);
            Files.delete(out);
            Files.delete(err);
            return new Result(done ? p.exitValue() : -1, o, done ? e : e + "\n(timed out)");
        } catch (IOException e) {
            return new Result(-1, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "", "interrupted");
        }
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    public static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    // ---- kernel features --------------------------------------------------------------------------------------

    private static final Map<String, Boolean> FEATURES = new LinkedHashMap<>();

    /** The kernel features this model needs that this machine lacks, each probed once in a throw-away namespace. */
    public static synchronized List<String> missingFeatures(Topology model) {
        List<String> missing = new ArrayList<>();
        for (var n : model.nodes()) {
            for (Interface i : n.interfaces()) {
                String feature = i instanceof Interface.Vlan ? "8021q VLAN" : i instanceof Interface.Ipvlan ? "ipvlan"
                        : i instanceof Interface.Dummy ? "dummy" : i instanceof Interface.Vxlan ? "vxlan"
                        : i instanceof Interface.Macvlan ? "macvlan" : null;
                if (feature != null && !FEATURES.computeIfAbsent(feature, Lab::probe) && !missing.contains(feature)) {
                    missing.add(feature);
                }
            }
        }
        return missing;
    }

    private static boolean probe(String feature) {
        String ns = BASE + "probe";
        run(Map.of(), 30, "ip", "netns", "add", ns);
        try {
            run(Map.of(), 30, "ip", "-n", ns, "link", "add", "pa", "type", "veth", "peer", "name", "pb");
            String[] tail = switch (feature) {
                case "8021q VLAN" -> new String[] {"link", "pa", "type", "vlan", "id", "2"};
                case "ipvlan" -> new String[] {"link", "pa", "type", "ipvlan", "mode", "l2"};
                case "macvlan" -> new String[] {"link", "pa", "type", "macvlan", "mode", "bridge"};
                case "vxlan" -> new String[] {"type", "vxlan", "id", "1", "dstport", "4789"};
                default -> new String[] {"type", "dummy"};
            };
            List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns, "link", "add", "px"));
            cmd.addAll(List.of(tail));
            return run(Map.of(), 30, cmd.toArray(String[]::new)).code() == 0;
        } finally {
            run(Map.of(), 30, "ip", "netns", "del", ns);
        }
    }
}
