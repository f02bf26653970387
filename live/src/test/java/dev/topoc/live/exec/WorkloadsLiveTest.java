package dev.topoc.live.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.live.lab.LabId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code up} and {@code down} with {@code run}s, against the kernel: each process is found by its pid and checked to be
 * in its node's namespace ({@code /proc/PID/ns/net} against {@code /run/netns/NS}).
 */
class WorkloadsLiveTest {
    static final String T = """
            topology runs
            node a {
              iface eth0 { address 10.8.5.1/24 }
              run "echo started a; exec sleep 600"
            }
            node b {
              iface eth0 { address 10.8.5.2/24 }
              run "exec sleep 601"
              run "exec sleep 602"
            }
            link a:eth0 -- b:eth0
            """;

    @BeforeAll
    static void machine() {
        dev.topoc.backends.lab.Lab.assumeMachine();
    }

    /** command → pid of every process the lab runs (asserting each is alive in its node's namespace). */
    static Map<String, Long> running(LiveFixture f) throws Exception {
        Workloads w = new Workloads(f.store, new LabId(f.prefix, "runs"));
        Map<String, Long> out = new LinkedHashMap<>();
        for (Workloads.Started s : w.started()) {
            assertTrue(s.alive(), () -> "pid " + s.pid() + " (" + s.command() + ") is not running");
            assertEquals(inode(Path.of("/run/netns", f.ns(s.node()))), Files.readSymbolicLink(Path.of("/proc/" + s.pid() + "/ns/net")).toString(),
                    "pid " + s.pid() + " is in node " + s.node() + "'s namespace");
            out.put(s.command(), s.pid());
        }
        return out;
    }

    static String inode(Path ns) throws Exception {
        return "net:[" + Files.getAttribute(ns, "unix:ino") + "]";
    }

    static boolean gone(long pid) {
        return Workloads.startTime(pid) < 0;
    }

    @Test
    void anEditElsewhereLeavesProcessesAloneAndAChangedCommandRestartsOnlyItself() throws Exception {
        try (LiveFixture f = new LiveFixture()) {
            Path file = f.write("runs.topo", T);
            Engine.Outcome o = f.up(file);
            assertEquals(Engine.OK, o.exit(), o.message() + "\n" + f.out + f.progress);
            Map<String, Long> first = running(f);
            assertEquals(List.of("echo started a; exec sleep 600", "exec sleep 601", "exec sleep 602"), List.copyOf(first.keySet()));
            assertEquals(List.of(), f.planLines(file), "in sync once up");
            Path log = new Workloads(f.store, new LabId(f.prefix, "runs")).log("a");
            assertTrue(Files.readString(log).contains("started a"), "a's output is in " + log);

            // an edit elsewhere (a's address): no process moves
            Files.writeString(file, UpTest.edit(T, "10.8.5.1/24", "10.8.5.11/24"));
            o = f.up(file);
            assertEquals(Engine.OK, o.exit(), o.message() + "\n" + f.out + f.progress);
            assertTrue(f.out.stream().noneMatch(l -> l.contains("run ")), "no run in the plan: " + f.out);
            assertEquals(first, running(f), "every process survives an edit of another object");

            // one command changed: only that one is stopped and started
            Files.writeString(file, UpTest.edit(UpTest.edit(T, "10.8.5.1/24", "10.8.5.11/24"), "sleep 602", "sleep 603"));
            List<String> plan = f.planLines(file);
            assertEquals(List.of("- run b: exec sleep 602 (stop pid " + first.get("exec sleep 602") + ")   lab runs@" + f.prefix,
                    "+ run b: exec sleep 603 (in netns " + f.ns("b") + ")   runs.topo:9"), plan);
            o = f.up(file);
            assertEquals(Engine.OK, o.exit(), o.message() + "\n" + f.out + f.progress);
            Map<String, Long> second = running(f);
            assertEquals(first.get("echo started a; exec sleep 600"), second.get("echo started a; exec sleep 600"));
            assertEquals(first.get("exec sleep 601"), second.get("exec sleep 601"));
            assertFalse(second.containsKey("exec sleep 602"));
            assertTrue(gone(first.get("exec sleep 602")), "the old command is stopped");
            assertNotEquals(null, second.get("exec sleep 603"));
            assertEquals(List.of(), f.planLines(file));
        }
    }

    @Test
    void upRestartsADeadRunAndDownStopsThemAll() throws Exception {
        try (LiveFixture f = new LiveFixture()) {
            Path file = f.write("runs.topo", T);
            Engine.Outcome o = f.up(file);
            assertEquals(Engine.OK, o.exit(), o.message() + "\n" + f.out + f.progress);
            Map<String, Long> first = running(f);
            long victim = first.get("exec sleep 601");
            assertEquals(0, LiveFixture.sh("kill -KILL " + victim).code());
            for (int i = 0; i < 100 && !gone(victim); i++) {
                Thread.sleep(20);
            }
            assertEquals(List.of("+ run b: exec sleep 601 (restart: pid " + victim + " is not running)   runs.topo:8"), f.planLines(file));
            o = f.up(file);
            assertEquals(Engine.OK, o.exit(), o.message() + "\n" + f.out + f.progress);
            Map<String, Long> second = running(f);
            assertNotEquals(victim, second.get("exec sleep 601"));
            assertEquals(first.get("exec sleep 602"), second.get("exec sleep 602"), "the others are left alone");

            List<String> said = new java.util.ArrayList<>();
            o = f.engine.down(new LabId(f.prefix, "runs"), f.options(), said::add);
            assertEquals(Engine.OK, o.exit(), o.message() + "\n" + said);
            for (long pid : second.values()) {
                assertTrue(gone(pid), "pid " + pid + " is stopped by down: " + said);
            }
            assertTrue(said.contains("- run b: exec sleep 602 (stop pid " + second.get("exec sleep 602") + ")"), said.toString());
            assertFalse(Files.exists(new Workloads(f.store, new LabId(f.prefix, "runs")).folder()), "the lab's folder is removed");
            assertFalse(f.exists("a"));
        }
    }
}
