package dev.topoc.backends.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.topoc.backends.BackendOptions;
import dev.topoc.backends.lab.Lab;
import dev.topoc.backends.lab.Lab.Result;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.syntax.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code networkd.sh} (--via networkd) run for real in a machine namespace of the test's own, which stands for a real
 * host's default namespace: its own systemd-networkd reads the part's root units (as in the Ansible sandbox), and the
 * part declares objects that host already has. The machine has a "physical" NIC {@code nic0} (a veth to a wire
 * namespace: this kernel has no dummy) carrying an address the part declares, and a bridge {@code keepbr} the part
 * declares; the part adds a bridge {@code newbr}, an address on each, and a node {@code web} cabled to {@code newbr}.
 * {@code down} removes what {@code up} made and recorded, and only while its ifindex is the recorded one; what was there
 * before survives with its identity; a second {@code down} is a no-op; two {@code up}s at once serialize on the lock.
 */
class NetworkdShOwnershipTest {
    private static final Path NETWORKD = Path.of("/lib/systemd/systemd-networkd");

    static final String PART = """
            topology own-hv1
            node hv1 root {
              iface nic0 physical { address 10.77.0.1/24  address 10.77.1.1/24 }
              bridge keepbr { address 10.77.2.1/24 }
              bridge newbr { address 10.77.3.1/24 }
              iface web-eth0 { master newbr }
            }
            node web { iface eth0 { address 10.77.3.10/24 } }
            link web:eth0 -- hv1:web-eth0
            """;

    private String prefix;
    private String machine;
    private Path dir;
    private Path script;
    private Path state;

    @BeforeEach
    void machine() throws IOException {
        assumeTrue(Lab.isRoot() && Lab.onPath("ip") && Lab.onPath("nsenter") && Lab.onPath("flock"),
                "needs root, ip (iproute2), nsenter and flock (util-linux)");
        assumeTrue(Files.isExecutable(NETWORKD), "needs " + NETWORKD + " (Debian package systemd)");
        prefix = Lab.uniquePrefix() + "-";
        machine = prefix + "hv1";
        dir = Files.createTempDirectory("topoc-networkd-own");
        Compilation c = Compiler.compile(new SourceFile("own-hv1.topo", PART));
        assertTrue(c.ok(), () -> c.diagnostics().all().toString());
        Diagnostics d = new Diagnostics();
        String text = NetworkdParts.script(new MachineTarget("hv1", c.model().span(), "192.0.2.11", "198.18.0.1", c.model()),
                new BackendOptions(prefix, true), d);
        assertFalse(d.hasErrors(), d.all()::toString);
        script = dir.resolve("networkd.sh");
        Files.writeString(script, text);
        state = dir.resolve("run/topoc/" + prefix + "+own-hv1");
        ok("ip", "netns", "add", machine);
        ok("ip", "netns", "add", prefix + "wire");
        ok("ip", "-n", machine, "link", "set", "dev", "lo", "up");
        ok("ip", "-n", machine, "link", "add", "name", "nic0", "type", "veth", "peer", "name", "w0", "netns", prefix + "wire");
        ok("ip", "-n", machine, "link", "set", "dev", "nic0", "up");
        // with its broadcast, as a host's addresses have (networkd 252 adopting one without it loops on "Failed to
        // configure address: Numerical result out of range", re-adding it 100,000 times over)
        ok("ip", "-n", machine, "address", "add", "10.77.0.1/24", "brd", "+", "dev", "nic0");
        ok("ip", "-n", machine, "link", "add", "name", "keepbr", "type", "bridge");
    }

    @AfterEach
    void cleanUp() {
        if (prefix == null) {
            return;
        }
        if (script != null) {
            networkd("down");
        }
        Lab.cleanUp(prefix);
        Lab.run(Map.of(), 30, "rm", "-rf", dir.toString());
    }

    @Test
    void downRemovesOnlyWhatUpMadeAndLeavesWhatWasThereWithItsIdentity() throws IOException {
        String nic = ifindex("nic0");
        String bridge = ifindex("keepbr");

        Result up = networkd("up");
        assertEquals(0, up.code(), up::toString);
        assertTrue(up.out().contains("uses: keepbr (it existed before this lab; down leaves it)"), up.out());
        assertTrue(up.out().contains("uses: 10.77.0.1/24 on nic0 (it was there before; down leaves it)"), up.out());
        assertTrue(addresses("nic0").containsAll(List.of("10.77.0.1/24", "10.77.1.1/24")), addresses("nic0").toString());
        assertEquals(List.of("10.77.2.1/24"), addresses("keepbr"));
        assertEquals(List.of("10.77.3.1/24"), addresses("newbr"));
        // the record: made before the units were installed, the identities once the devices exist
        String links = Files.readString(state.resolve("links"));
        assertTrue(links.contains("newbr " + ifindex("newbr") + "\n") && links.contains("web-eth0 " + ifindex("web-eth0") + "\n"), links);
        assertFalse(links.contains("keepbr"), links);
        String recorded = Files.readString(state.resolve("addresses"));
        assertEquals(List.of("10.77.1.1/24 nic0 " + nic, "10.77.2.1/24 keepbr " + bridge), recorded.lines().sorted().toList());
        assertEquals("700", stat("%a", state), "the record's folder");
        if (Lab.onPath("ping")) { // web reaches the machine through the cable and the bridge up made
            Result ping = Lab.run(Map.of(), 30, "ip", "netns", "exec", prefix + "web", "ping", "-c", "1", "-W", "2", "10.77.3.1");
            assertEquals(0, ping.code(), ping::toString);
        }

        Result again = networkd("up");
        assertEquals(0, again.code(), again::toString);
        assertFalse(again.out().contains("changed: "), again.out());
        assertTrue(again.out().contains("uses: 10.77.0.1/24 on nic0 (it was there before; down leaves it)"), again.out());
        assertEquals(recorded, Files.readString(state.resolve("addresses")), "the second up recorded more addresses");

        Result down = networkd("down");
        assertEquals(0, down.code(), down::toString);
        assertEquals(nic, ifindex("nic0"), "nic0 is the same NIC");
        assertEquals(bridge, ifindex("keepbr"), "keepbr survives with its ifindex");
        assertEquals(List.of("10.77.0.1/24"), addresses("nic0"), "the address nic0 had before stays, the one up added goes");
        assertEquals(List.of(), addresses("keepbr"), "the address up put on keepbr goes");
        assertEquals(null, ifindex("newbr"), "newbr (made by this lab) is gone");
        assertEquals(null, ifindex("web-eth0"), "the cable is gone");
        assertFalse(Lab.namespacesWith(prefix).contains(prefix + "web"), "web's namespace is gone");
        assertFalse(Files.exists(state), "the record is gone");
        assertEquals(List.of(), pids(machine), "processes left in the machine");

        Result second = networkd("down");
        assertEquals(0, second.code(), second::toString);
        assertEquals("nothing to tear down\n", second.out());
        assertEquals(bridge, ifindex("keepbr"));
        assertEquals(List.of("10.77.0.1/24"), addresses("nic0"));
    }

    @Test
    void theScriptOfAPartWithNicsAndDevicesIsShellcheckClean() {
        assumeTrue(Lab.onPath("shellcheck"), "shellcheck is not installed (.ci/run installs it)");
        assertTrue(Lab.run(Map.of(), 10, "grep", "-c", "^  own_nic nic0 10.77.0.1/24 10.77.1.1/24$", script.toString()).code() == 0,
                "the script records nic0's addresses");
        Result sc = Lab.run(Map.of(), 60, "shellcheck", script.toString());
        assertEquals(0, sc.code(), sc::toString);
    }

    @Test
    void aRecordedDeviceThatIsNoLongerTheOneUpMadeIsLeftAlone() {
        Result up = networkd("up");
        assertEquals(0, up.code(), up::toString);
        String made = ifindex("newbr");
        // someone replaces newbr with a bridge of their own of that name (another ifindex)
        ok("ip", "-n", machine, "link", "del", "dev", "newbr");
        ok("ip", "-n", machine, "link", "add", "name", "newbr", "type", "bridge");
        String theirs = ifindex("newbr");
        assertNotEquals(made, theirs);

        Result down = networkd("down");
        assertEquals(0, down.code(), down::toString);
        assertEquals(theirs, ifindex("newbr"), "their newbr survives");
        assertTrue(down.err().contains("left alone: newbr"), down::toString);
        assertFalse(Files.exists(state), "the record is gone");
    }

    @Test
    void aCableEndThatExistsAndIsNotTheLabsIsRefusedAndUpRemovesWhatItMade() {
        // a veth of someone else's with the name of the part's cable end in the machine's own namespace
        ok("ip", "-n", machine, "link", "add", "name", "web-eth0", "type", "veth", "peer", "name", "other0");
        String theirs = ifindex("web-eth0");

        Result up = networkd("up");
        assertEquals(1, up.code(), up::toString);
        assertTrue(up.err().contains("interface web-eth0 exists in this machine's own namespace and is not this lab's"), up::toString);
        assertEquals(theirs, ifindex("web-eth0"), "their veth survives");
        assertEquals(List.of("10.77.0.1/24"), addresses("nic0"));
        assertTrue(ifindex("keepbr") != null);
        assertFalse(Lab.namespacesWith(prefix).contains(prefix + "web"), "web's namespace was not left behind");
        assertFalse(Files.exists(state), "the rollback removed the record");
        assertEquals(List.of(), pids(machine), "processes left in the machine");
    }

    @Test
    void twoUpsAtOnceSerializeOnTheLock() {
        CompletableFuture<Result> one = CompletableFuture.supplyAsync(() -> networkd("up"));
        CompletableFuture<Result> two = CompletableFuture.supplyAsync(() -> networkd("up"));
        List<Result> both = List.of(one.join(), two.join());
        for (Result r : both) {
            assertEquals(0, r.code(), r::toString);
        }
        // one built everything; the other waited for it and then found everything in place
        long builders = both.stream().filter(r -> r.out().contains("changed: ")).count();
        assertEquals(1, builders, both::toString);
        assertTrue(both.stream().anyMatch(r -> r.err().contains("another networkd.sh of this lab is running: waiting for it")),
                both::toString);
        assertEquals(1, networkds(machine), "networkds in the machine");
        assertEquals(1, networkds(prefix + "web"), "networkds in web");

        // a lock held longer than TOPOC_LOCK_TIMEOUT: the run gives up with a message and changes nothing
        Path lock = Path.of(state + ".lock");
        Process holder;
        try {
            // one process holds it (sleep inherits the locked descriptor): destroying it releases the lock
            holder = new ProcessBuilder("bash", "-c", "exec 9<> \"$1\" && flock 9 && exec sleep 30", "bash", lock.toString()).start();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try {
            waitHeld(lock);
            Result blocked = Lab.run(Map.of("TOPOC_LOCK_TIMEOUT", "1"), 60, inMachine("down"));
            assertEquals(1, blocked.code(), blocked::toString);
            assertTrue(blocked.err().contains("another networkd.sh of this lab still runs"), blocked::toString);
            assertTrue(Files.exists(state), "a blocked down removed the record");
            assertTrue(ifindex("newbr") != null, "a blocked down removed newbr");
        } finally {
            holder.destroy();
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /** networkd.sh ACTION in the machine as its sshd would run it (the Ansible sandbox's in_machine). */
    private Result networkd(String action) {
        return Lab.run(Map.of(), 120, inMachine(action));
    }

    private String[] inMachine(String action) {
        return new String[] {"nsenter", "--net=/run/netns/" + machine, "unshare", "--mount", "--propagation", "unchanged", "sh", "-c",
            "mount --make-rslave /sys && mount -t sysfs sysfs /sys && exec \"$@\"", "sh", "bash", script.toString(), action,
            dir.resolve("var").toString(), state.toString(), dir.resolve("etc").toString()};
    }

    private void waitHeld(Path lock) {
        for (int i = 0; i < 100; i++) {
            if (Lab.run(Map.of(), 10, "flock", "-n", lock.toString(), "true").code() != 0) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("the test's flock never held " + lock);
    }

    private static void ok(String... cmd) {
        Result r = Lab.run(Map.of(), 30, cmd);
        assertEquals(0, r.code(), r::toString);
    }

    /** The ifindex of the machine's IF, or null when there is none. */
    private String ifindex(String dev) {
        Result r = Lab.run(Map.of(), 10, "ip", "-n", machine, "-o", "link", "show", "dev", dev);
        return r.code() == 0 && !r.out().isBlank() ? r.out().substring(0, r.out().indexOf(':')) : null;
    }

    /** The IPv4 addresses on the machine's IF. */
    private List<String> addresses(String dev) {
        Result r = Lab.run(Map.of(), 10, "ip", "-n", machine, "-o", "-4", "addr", "show", "dev", dev);
        List<String> out = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            String[] w = line.trim().split("\\s+");
            for (int i = 0; i + 1 < w.length; i++) {
                if (w[i].equals("inet")) {
                    out.add(w[i + 1]);
                }
            }
        }
        return out;
    }

    private static String stat(String format, Path p) {
        return Lab.run(Map.of(), 10, "stat", "-c", format, p.toString()).out().trim();
    }

    private static List<String> pids(String ns) {
        Result r = Lab.run(Map.of(), 10, "ip", "netns", "pids", ns);
        return Stream.of(r.out().split("\\s+")).filter(s -> !s.isBlank()).sorted().toList();
    }

    private static long networkds(String ns) {
        return pids(ns).stream().filter(pid -> {
            try {
                Path comm = Path.of("/proc", pid, "comm");
                return Files.exists(comm) && Files.readString(comm).trim().equals("systemd-network");
            } catch (IOException e) {
                return false;
            }
        }).count();
    }
}
