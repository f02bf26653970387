package dev.topoc.backends.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.backends.lab.Lab;
import dev.topoc.backends.lab.Probes;
import dev.topoc.compiler.model.Expectation;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.Proto;
import dev.topoc.compiler.model.Target;
import dev.topoc.compiler.model.Topology;
import inet.ipaddr.IPAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * Asks the simulator and the kernel the same questions about one topology: for every ordered pair of nodes
 * (A, B ≠ A) and every address of B (loopback 127/8 and ::1 aside), and for every {@code expect} target, does
 * an ICMP echo request from A arrive and its reply come back? The kernel's answer is a real ping from A's
 * namespace of a running {@link Lab}; the pings of one topology run concurrently.
 */
final class Agreement {
    /** Concurrent pings; each takes at most about two seconds (two tries of {@code -W1}). */
    static final int PARALLEL = 32;

    /** One question: from {@code from}, ping {@code address} (named {@code label}: {@code b:eth0} or an expect target). */
    record Question(String from, String label, IPAddress address) {
        String key() {
            return from + " -> " + address.toCanonicalString();
        }
    }

    /** The answers to the questions of one topology: how many were asked, and every disagreement, described. */
    record Report(int asked, List<String> disagreements, List<String> excluded) {}

    private Agreement() {}

    /** Every (A, B ≠ A, address of B), then every expect target not asked already; in model order. */
    static List<Question> questions(Topology model, Fabric fabric) {
        Map<String, Question> qs = new LinkedHashMap<>();
        for (Node a : model.nodes()) {
            for (Node b : model.nodes()) {
                if (a == b) {
                    continue;
                }
                for (Interface i : b.interfaces()) {
                    for (var cidr : i.addresses()) {
                        IPAddress ip = cidr.address();
                        if (!ip.isLoopback()) {
                            Question q = new Question(a.name(), b.name() + ":" + i.name(), ip.withoutPrefixLength());
                            qs.putIfAbsent(q.key(), q);
                        }
                    }
                }
            }
        }
        for (Expectation e : model.expectations()) {
            fabric.address(e.to()).ifPresent(ip -> {
                Question q = new Question(e.from(), "expect " + e.to(), ip.withoutPrefixLength());
                qs.putIfAbsent(q.key(), q);
            });
        }
        return List.copyOf(qs.values());
    }

    /**
     * Applies the lab, asks every question of both, destroys the lab (asserting that no namespace is left) and
     * reports. {@code excluded} maps a question's key ({@code "a -> 10.0.0.2"}) to why the kernel and the
     * simulator may differ there (a documented limit); those are asked but not counted as disagreements.
     */
    static Report run(Lab lab, Fabric fabric, List<Question> questions, Map<String, String> excluded) throws Exception {
        Lab.Result applied = lab.apply("-q");
        assertEquals(0, applied.code(), applied.toString());
        List<String> disagreements = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL, Math.max(1, questions.size())));
        try {
            List<Future<Probes.Outcome>> real = new ArrayList<>();
            for (Question q : questions) {
                real.add(pool.submit(() -> Probes.ping(lab, q.from(), q.address().toCanonicalString())));
            }
            for (int k = 0; k < questions.size(); k++) {
                Question q = questions.get(k);
                Probes.Outcome kernel = get(real.get(k));
                Trace sim = fabric.ping(q.from(), new Target(null, null, q.address()), Proto.ICMP, null);
                if (sim.reaches() == kernel.reached()) {
                    continue;
                }
                String why = excluded.get(q.key());
                if (why != null) {
                    skipped.add(q.key() + " (" + why + ")");
                    continue;
                }
                disagreements.add(describe(q, sim, kernel));
            }
        } finally {
            pool.shutdownNow();
        }
        Lab.Result destroyed = lab.destroy();
        assertEquals(0, destroyed.code(), destroyed.toString());
        assertEquals(List.of(), lab.namespaces(), "namespaces left after destroy.sh");
        assertTrue(Files.notExists(lab.stateDir()), "record left after destroy.sh: " + lab.stateDir());
        return new Report(questions.size(), disagreements, skipped);
    }

    static String describe(Question q, Trace sim, Probes.Outcome kernel) {
        return q.key() + " (" + q.label() + "): simulator " + (sim.reaches() ? "reaches" : "does not reach")
                + ", kernel " + (kernel.reached() ? "reaches" : "does not reach") + "\n    kernel: " + kernel.evidence()
                + "\n    simulator: " + sim.summary() + "\n      "
                + sim.hops().stream().map(h -> h.leg() + " " + h).collect(Collectors.joining("\n      "));
    }

    private static Probes.Outcome get(Future<Probes.Outcome> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
