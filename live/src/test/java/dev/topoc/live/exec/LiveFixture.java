package dev.topoc.live.exec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.backends.lab.Lab;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.model.Topology;
import dev.topoc.compiler.syntax.SourceFile;
import dev.topoc.live.diff.Change;
import dev.topoc.live.lab.LabStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A live lab for a test: its own prefix ({@link Lab#BASE} + "L" + n + "-", unique to this JVM), its own record folder,
 * topology files written into a temporary folder, and {@link #close()} (and a shutdown hook) deleting every namespace
 * with the prefix. Everything runs with {@code --sandbox}.
 */
final class LiveFixture implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    static final String BASE = Lab.BASE + "L";

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Lab.cleanUp(BASE)));
    }

    final String prefix = BASE + COUNTER.incrementAndGet() + "-";
    final Path dir;
    final LabStore store;
    final List<String> progress = new ArrayList<>();
    final List<String> out = new ArrayList<>();
    final Engine engine;

    LiveFixture() throws IOException {
        dir = Files.createTempDirectory("topoc-live");
        store = new LabStore(dir.resolve("records"));
        engine = new Engine(store, new Observer(Observer.KERNEL), progress::add);
    }

    Engine.Options options() {
        return new Engine.Options(prefix, true, false, Duration.ZERO, -1);
    }

    Engine.Options options(boolean replace, int failAfter) {
        return new Engine.Options(prefix, true, replace, Duration.ZERO, failAfter);
    }

    Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    static Topology compile(Path file) throws IOException {
        Compilation c = Compiler.compile(new SourceFile(file.toString(), Files.readString(file)));
        assertTrue(c.ok(), () -> file + ": " + c.diagnostics().all());
        return c.model();
    }

    Engine.Outcome up(Path file) throws IOException {
        return up(file, options());
    }

    Engine.Outcome up(Path file, Engine.Options o) throws IOException {
        out.clear();
        return engine.up(compile(file), file, Files.readString(file), o, out::add);
    }

    Engine.Plan plan(Path file) throws IOException {
        return engine.plan(compile(file), file, Files.readString(file), options());
    }

    List<String> planLines(Path file) throws IOException {
        return plan(file).changes().stream().map(Change::line).toList();
    }

    String ns(String node) {
        return prefix + node;
    }

    /** Runs a command in node's namespace; its result. */
    Lab.Result in(String node, String... cmd) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", ns(node)));
        all.addAll(List.of(cmd));
        return Lab.run(Map.of(), 30, all.toArray(String[]::new));
    }

    static Lab.Result sh(String command) {
        return Lab.run(Map.of(), 60, "sh", "-c", command);
    }

    int ifindex(String node, String iface) {
        Lab.Result r = in(node, "cat", "/sys/class/net/" + iface + "/ifindex");
        // /sys shows the namespace of whoever mounted it; read it through ip instead
        Lab.Result j = Lab.run(Map.of(), 30, "ip", "-n", ns(node), "-o", "link", "show", "dev", iface);
        assertTrue(j.code() == 0, () -> "no " + node + ":" + iface + ": " + j + r);
        return Integer.parseInt(j.out().substring(0, j.out().indexOf(':')).trim());
    }

    boolean exists(String node) {
        return Files.exists(Path.of("/run/netns", ns(node)));
    }

    @Override
    public void close() {
        Lab.cleanUp(prefix);
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder
        }
    }
}
