package dev.topoc.backends.lab;

import dev.topoc.compiler.model.Expectation;
import dev.topoc.compiler.model.Proto;
import dev.topoc.compiler.model.Topology;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Checks {@code expect} lines against a running lab, for real: ping for icmp; for tcp and udp a connection
 * or datagram to what the lab itself runs (its {@code run} commands and the sandbox's stand-in listeners,
 * which answer with their node's name, so that the probe knows who finally received it; where a {@code run}
 * answers, the node it landed on is not known and {@code lands} is not checked).
 */
public final class Probes implements AutoCloseable {
    private final Topology model;
    private final java.util.function.UnaryOperator<String> namespace;
    private final Path client;

    /** What a probe saw: reached or not, who answered (tcp/udp) and the evidence. */
    public record Outcome(boolean reached, String landed, String evidence) {}

    private Probes(Topology model, java.util.function.UnaryOperator<String> namespace) {
        this.model = model;
        this.namespace = namespace;
        this.client = copy("client.py");
    }

    /**
     * Ready to probe. No listener is started here: the lab answers tcp and udp with exactly what the
     * topology declares, its {@code run} commands and (under {@code --sandbox}) the stand-in listeners
     * apply.sh starts for listens no {@code run} serves; a stand-in answers with its node's name.
     */
    public static Probes start(Lab lab) throws IOException {
        return new Probes(lab.model, lab::namespace);
    }

    /**
     * Ready to probe a lab built by other means (the Ansible sandbox): {@code model} the topology the expectations
     * come from, each node in namespace {@code prefix}+node.
     */
    public static Probes start(Topology model, String prefix) {
        return new Probes(model, node -> prefix + node);
    }

    /** Probes one expectation from inside its source namespace. */
    public Outcome probe(Expectation e) {
        Topology m = model;
        // the address the simulator aims at (its family rule: `v4`/`v6`, else IPv4 first), so both answer one question
        String address = e.to().address() != null ? e.to().address().toCanonicalString()
                : dev.topoc.backends.sim.DataPlane.of(m).address(e.to(), e.family()).orElseThrow().toCanonicalString();
        String from = namespace.apply(e.from());
        if (e.proto() == Proto.ICMP) {
            // two tries (the first one may wait for ARP through a reflecting switch), the same for reach and noreach
            // the expect's size and DF as `ping -s N -M do|dont` (expect … icmp size N df)
            List<String> ping = new java.util.ArrayList<>(List.of("ip", "netns", "exec", from, "ping", "-n", "-c2", "-i0.2", "-W1"));
            if (e.size() != 56 || e.df()) {
                ping.addAll(List.of("-s", Integer.toString(e.size()), "-M", e.df() ? "do" : "dont"));
            }
            ping.add(address);
            Lab.Result r = Lab.run(Map.of(), 20, ping.toArray(String[]::new));
            if (r.code() != 0) {
                r = Lab.run(Map.of(), 20, ping.toArray(String[]::new));
            }
            String landed = null;
            if (e.lands() != null) {
                Lab.Result local = Lab.run(Map.of(), 20, "ip", "-n", namespace.apply(e.lands()), "route", "get", address);
                landed = local.out().startsWith("local ") ? e.lands() : "(not local to " + e.lands() + ")";
            }
            return new Outcome(r.code() == 0, landed, "ping " + address + ": " + lastLine(r.out()));
        }
        Lab.Result r = Lab.run(Map.of(), 20, "ip", "netns", "exec", from, "python3", client.toString(), address,
                String.valueOf(e.port()), e.proto().word());
        String answer = r.out().trim();
        // who answered: a stand-in says its node's name; a `run` server's answer names no node
        String landed = r.code() == 0 && m.node(answer).isPresent() ? answer : null;
        return new Outcome(r.code() == 0, landed,
                e.proto().word() + " " + address + ":" + e.port() + ": " + answer);
    }

    /**
     * One real ping from {@code node}'s namespace of {@code lab} to {@code address}: {@code ping -c1 -W1}, tried a
     * second time when the first gets no answer (the first ping through a fresh bridge, or one that waits for
     * ARP through a reflecting switch, can be lost). Reached means an echo reply came back.
     */
    public static Outcome ping(Lab lab, String node, String address) {
        return ping(lab, node, address, () -> {});
    }

    /** As {@link #ping(Lab, String, String)}, running {@code beforeEachTry} before each of the two tries. */
    public static Outcome ping(Lab lab, String node, String address, Runnable beforeEachTry) {
        return ping(lab, node, address, 56, false, beforeEachTry);
    }

    /**
     * As {@link #ping(Lab, String, String, Runnable)}, with {@code size} payload bytes ({@code ping -s}) and, with
     * {@code df}, the don't-fragment bit ({@code -M do}; else {@code -M dont}: fragments allowed, no path MTU discovery).
     */
    public static Outcome ping(Lab lab, String node, String address, int size, boolean df, Runnable beforeEachTry) {
        String ns = lab.namespace(node);
        String[] cmd = size == 56 && !df ? new String[] {"ip", "netns", "exec", ns, "ping", "-n", "-c1", "-W1", address}
                : new String[] {"ip", "netns", "exec", ns, "ping", "-n", "-c1", "-W1", "-s", Integer.toString(size), "-M", df ? "do" : "dont", address};
        beforeEachTry.run();
        Lab.Result r = Lab.run(Map.of(), 10, cmd);
        if (r.code() != 0) {
            beforeEachTry.run();
            r = Lab.run(Map.of(), 10, cmd);
        }
        String text = r.out().strip() + (r.err().isBlank() ? "" : "\n" + r.err().strip());
        return new Outcome(r.code() == 0, null, "ping " + address + " (exit " + r.code() + "): "
                + text.lines().filter(l -> !l.isBlank() && !l.startsWith("PING ") && !l.startsWith("---"))
                        .reduce((x, y) -> x + " | " + y).orElse(""));
    }

    /**
     * Forgets what earlier probes taught the lab: flushes every namespace's neighbour (ARP) table and its
     * cached route exceptions (ICMP redirects), so that the next probe starts as the first one after apply.
     */
    public static void forget(Lab lab) {
        for (String ns : lab.namespaces()) {
            Lab.run(Map.of(), 10, "ip", "-n", ns, "neigh", "flush", "all");
            Lab.run(Map.of(), 10, "ip", "-n", ns, "route", "flush", "cache");
        }
    }

    /** Whether the outcome agrees with the expectation; null when it does, else what differs. */
    public static String disagreement(Expectation e, Outcome o) {
        if (o.reached() != e.reach()) {
            return (e.reach() ? "expected reach, got none" : "expected noreach, but it reached") + " (" + o.evidence() + ")";
        }
        if (e.reach() && e.lands() != null && !e.lands().equals(o.landed()) && !(o.landed() == null && e.proto() != Proto.ICMP)) {
            return "expected it to land in " + e.lands() + ", landed: " + o.landed() + " (" + o.evidence() + ")";
        }
        return null;
    }

    private static String lastLine(String s) {
        String[] lines = s.strip().split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1];
    }

    private static Path copy(String resource) {
        try (InputStream in = Probes.class.getResourceAsStream("/dev/topoc/backends/lab/" + resource)) {
            Path p = Files.createTempFile("topoc-" + resource.replace(".py", ""), ".py");
            Files.write(p, in.readAllBytes());
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(client);
        } catch (IOException ignored) {
            // temporary files
        }
    }
}
