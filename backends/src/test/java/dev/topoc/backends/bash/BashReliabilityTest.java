package dev.topoc.backends.bash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.topoc.backends.ArtifactWriter;
import dev.topoc.backends.BackendOptions;
import dev.topoc.backends.lab.Lab;
import dev.topoc.backends.lab.Probes;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.Expectation;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.syntax.SourceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * apply.sh and destroy.sh under repetition, interruption, failure and company, in real namespaces.
 * The sample used is docker-bridge: four nodes (five steps), a bridge, NAT, DNAT and forwarding.
 */
class BashReliabilityTest {
    static final Path SAMPLE = Path.of(System.getProperty("topoc.root", "..")).resolve("samples/docker-bridge.topo");

    @BeforeAll
    static void machine() {
        Lab.assumeMachine();
    }

    /** Every expect line holds (reused after each kind of disturbance). */
    static void assertExpectationsHold(Lab lab) throws Exception {
        List<String> failures = new ArrayList<>();
        try (Probes probes = Probes.start(lab)) {
            for (Expectation e : lab.model.expectations()) {
                String d = Probes.disagreement(e, probes.probe(e));
                if (d != null) {
                    failures.add("line " + e.span().line() + ": " + d);
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /** Addresses, routes and links of every namespace of the lab, as text. */
    static String snapshot(Lab lab) {
        // an IPv6 address is `tentative` until the kernel's duplicate address detection ends, a second or two after
        // it is added, and only then does the kernel add its local and anycast routes: that is the kernel's progress,
        // not a change made by a script, so wait for it (at most 10 s) before reading
        for (int tries = 0; tries < 50 && lab.model.nodes().stream().anyMatch(n -> !Lab.run(Map.of(), 20, "ip", "-n",
                lab.namespace(n.name()), "-6", "addr", "show", "tentative").out().isBlank()); tries++) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (Node n : lab.model.nodes()) {
            String ns = lab.namespace(n.name());
            sb.append(ns).append('\n');
            sb.append(Lab.run(Map.of(), 20, "ip", "-n", ns, "-o", "addr").out().replaceAll("valid_lft.*", ""));
            sb.append(Lab.run(Map.of(), 20, "ip", "-n", ns, "route", "show", "table", "all").out());
            sb.append(Lab.run(Map.of(), 20, "ip", "-n", ns, "-o", "link").out().replaceAll("link-netns \\S+", ""));
        }
        return sb.toString();
    }

    /** `ip` reads `br` as `broadcast` and `up`/`master` as keywords unless the name is introduced by `name`/`dev`. */
    @Test
    void interfacesNamedLikeIpKeywordsAreBuilt() throws Exception {
        try (Lab lab = Lab.of("keywords.topo", """
                node sw {
                  bridge br { address 10.66.0.1/24 }
                  iface up { master br }
                  iface master { master br }
                }
                node a { iface br { address 10.66.0.2/24 } }
                node b { iface down { address 10.66.0.3/24 } }
                link a:br -- sw:up
                link b:down -- sw:master
                expect a -> 10.66.0.3 reach
                expect b -> 10.66.0.1 reach
                """)) {
            Lab.Result r = lab.apply();
            assertEquals(0, r.code(), r.toString());
            assertExpectationsHold(lab);
            assertEquals(0, lab.destroy().code());
        }
    }

    @Test
    void applyTwiceLeavesTheSameStateAndDestroyTwiceIsFine() throws Exception {
        try (Lab lab = Lab.of(SAMPLE)) {
            Lab.Result first = lab.apply();
            assertEquals(0, first.code(), first.toString());
            assertTrue(first.out().contains("[2/6] docker ok"), first.out());
            String before = snapshot(lab);
            Lab.Result second = lab.apply();
            assertEquals(0, second.code(), second.toString());
            assertEquals(before, snapshot(lab));
            assertExpectationsHold(lab);
            assertEquals(0, lab.destroy().code());
            assertEquals(List.of(), lab.namespaces());
            Lab.Result again = lab.destroy();
            assertEquals(0, again.code(), again.toString());
            assertTrue(again.out().contains("nothing to destroy"), again.out());
        }
    }

    @Test
    void anApplyKilledAfterAnyStepIsCompletedByTheNextOne() throws Exception {
        try (Lab lab = Lab.of(SAMPLE)) {
            int total = 6; // the last step starts the workloads
            for (int k = 1; k <= total; k++) {
                Lab.Result killed = lab.script("apply.sh", Map.of("TOPOC_KILL_AFTER_STEP", String.valueOf(k)), "-q");
                assertNotEquals(0, killed.code(), "apply.sh was to die after step " + k);
                Lab.Result resumed = lab.apply();
                assertEquals(0, resumed.code(), "after a kill at step " + k + ": " + resumed);
                assertTrue(resumed.out().contains("[" + k + "/6]") && resumed.out().contains("ok (already)"), resumed.out());
                assertExpectationsHold(lab);
                assertEquals(0, lab.destroy("-q").code());
                assertEquals(List.of(), lab.namespaces(), "after step " + k);
            }
        }
    }

    @Test
    void aFailingStepRollsBackEverythingThisRunCreatedAndNamesTheLine() throws Exception {
        try (Lab lab = Lab.of(SAMPLE)) {
            // step 4 (gitlab) gets a gateway that is not on any of its subnets: the kernel refuses the route
            Path apply = lab.dir.resolve("apply.sh");
            String text = Files.readString(apply);
            String good = "route replace default via 172.17.0.1 dev eth0\nEOF\n  BATCH_SRC=''\n  sysctl_set " + lab.namespace("gitlab")
                    + " /proc/sys/net/bridge/bridge-nf-call-iptables 0 /proc/sys/net/bridge/bridge-nf-call-ip6tables 0"
                    + " /proc/sys/net/bridge/bridge-nf-call-arptables 0\n}\n\nundo_4";
            assertTrue(text.contains(good), "the gitlab step changed shape");
            Files.writeString(apply, text.replace(good, good.replace("172.17.0.1", "10.99.99.1")));
            Lab.Result r = lab.apply();
            assertEquals(1, r.code(), r.toString());
            assertTrue(r.err().contains("step 4/6 (gitlab, docker-bridge.topo:47) failed"), r.err());
            assertEquals(List.of(), lab.namespaces(), "rollback left namespaces");
            assertFalse(Files.exists(lab.stateDir()), "rollback left the record");
        }
    }

    @Test
    void twoLabsWithDifferentPrefixesCoexist() throws Exception {
        try (Lab one = Lab.of(SAMPLE); Lab two = Lab.of(SAMPLE)) {
            assertEquals(0, one.apply("-q").code());
            assertEquals(0, two.apply("-q").code());
            assertEquals(4, one.namespaces().size());
            assertEquals(4, two.namespaces().size());
            assertEquals(0, one.destroy("-q").code());
            assertEquals(List.of(), one.namespaces());
            assertEquals(4, two.namespaces().size());
            assertExpectationsHold(two);
        }
    }

    @Test
    void aNamespaceThatIsNotOursStopsApplyBeforeAnyChange() throws Exception {
        try (Lab lab = Lab.of(SAMPLE)) {
            String foreign = lab.namespace("gitlab");
            assertEquals(0, Lab.run(Map.of(), 20, "ip", "netns", "add", foreign).code());
            Lab.Result r = lab.apply();
            assertEquals(1, r.code(), r.toString());
            assertTrue(r.err().contains("namespace " + foreign + " exists and is not owned by this topology"), r.err());
            assertEquals(List.of(foreign), lab.namespaces(), "apply.sh changed something");
            Lab.Result d = lab.destroy();
            assertEquals(0, d.code(), d.toString());
            assertEquals(List.of(foreign), lab.namespaces(), "destroy.sh removed what it does not own");
        }
    }

    @Test
    void dryRunPrintsTheCommandsAndChangesNothing() throws Exception {
        try (Lab lab = Lab.of(SAMPLE)) {
            Lab.Result r = lab.apply("--dry-run");
            assertEquals(0, r.code(), r.toString());
            assertTrue(r.out().contains("nsenter --net=/run/netns/" + lab.namespace("docker") + " ip -batch - <<EOF"), r.out());
            assertTrue(r.out().contains("link add name veth-nginx type veth peer name eth0 netns " + lab.namespace("nginx")), r.out());
            assertTrue(r.out().contains("tcp dport 8080 dnat ip to 172.17.10.10:80"), r.out());
            assertEquals(List.of(), lab.namespaces());
            assertFalse(Files.exists(lab.stateDir()));
        }
    }

    /** Both spellings of every sample (--sandbox and not); the 1,000-host star once, it takes shellcheck 13 s. */
    @Test
    void everySampleScriptPassesShellcheck() throws Exception {
        assumeTrue(Lab.onPath("shellcheck"), "shellcheck is not installed (.ci/run installs it)");
        List<String> problems = new ArrayList<>();
        List<Path> samples = new ArrayList<>(BashEndToEndTest.samples());
        samples.add(SAMPLE.resolveSibling("star-1000.topo"));
        Path dir = Files.createTempDirectory("topoc-shellcheck");
        List<String> files = new ArrayList<>();
        for (Path sample : samples) {
            var model = Compiler.compile(new SourceFile(sample.toString(), Files.readString(sample))).model();
            boolean star = sample.getFileName().toString().startsWith("star-");
            // a topology over several machines is one script only as its stitched sandbox (E0802 otherwise)
            boolean oneScript = star || model.machines().size() > 1;
            for (boolean sandbox : oneScript ? new boolean[] {true} : new boolean[] {true, false}) {
                Path out = dir.resolve(sample.getFileName() + (sandbox ? ".sandbox" : ".machine"));
                Diagnostics d = new Diagnostics();
                ArtifactWriter.write(new BashBackend().generate(model, new BackendOptions("lab-", sandbox), d), out);
                assertFalse(d.hasErrors(), () -> sample + ": " + d.all());
                files.add(out.resolve("apply.sh").toString());
                files.add(out.resolve("destroy.sh").toString());
            }
        }
        // one shellcheck per script, two at a time: a time-out then names the script, and other test classes
        // running beside this one (junit-platform.properties) do not stretch one run over all of them
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<String>> checks = new ArrayList<>();
            for (String file : files) {
                checks.add(pool.submit(() -> {
                    Lab.Result r = Lab.run(Map.of(), 300, "shellcheck", file);
                    return r.code() == 0 ? null : file + ":\n" + r.out() + r.err();
                }));
            }
            for (var check : checks) {
                String problem = check.get();
                if (problem != null) {
                    problems.add(problem);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        Lab.run(Map.of(), 30, "rm", "-rf", dir.toString());
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }
}
