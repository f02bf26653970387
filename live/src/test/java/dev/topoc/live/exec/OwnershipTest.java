package dev.topoc.live.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.backends.lab.Lab;
import dev.topoc.live.lab.LabBusyException;
import dev.topoc.live.lab.LabId;
import dev.topoc.live.lab.LabLock;
import dev.topoc.live.lab.LabStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a lab owns, and who may change it: the record's file, unowned namespaces, the lock, down. */
class OwnershipTest {
    static final String PAIR = """
            topology pair
            node a { iface eth0 { address 10.6.0.1/24 } }
            node b { iface eth0 { address 10.6.0.2/24 } }
            link a:eth0 -- b:eth0
            """;

    @BeforeAll
    static void machine() {
        Lab.assumeMachine();
    }

    @Test
    void aDifferentFileClaimingARunningLabIsRefusedUntilReplace() throws Exception {
        try (LiveFixture f = new LiveFixture()) {
            Path first = f.write("pair.topo", PAIR);
            assertEquals(Engine.OK, f.up(first).exit());
            int ifindex = f.ifindex("a", "eth0");
            Path second = f.write("other.topo", PAIR.replace("10.6.0.2/24", "10.6.0.3/24"));
            Engine.Outcome refused = f.up(second);
            assertEquals(Engine.REFUSED, refused.exit(), refused.message());
            String said = String.join("\n", f.progress);
            assertTrue(said.contains("other.topo:1:1: error[E0900]: lab pair@" + f.prefix + " is running from "
                    + first.toAbsolutePath()), said);
            assertTrue(said.contains("--replace"), said);
            assertTrue(f.in("b", "ip", "addr").out().contains("10.6.0.2/24"), "nothing changed");
            assertEquals(List.of(), f.planLines(first));
            Engine.Outcome taken = f.up(second, f.options(true, -1));
            assertEquals(Engine.OK, taken.exit(), taken.message());
            assertEquals(second.toAbsolutePath().toString(), f.store.find("pair@" + f.prefix).orElseThrow().file());
            assertEquals(ifindex, f.ifindex("a", "eth0"), "taking over is a converge too, not a rebuild");
            assertTrue(f.in("b", "ip", "addr").out().contains("10.6.0.3/24"));
        }
    }

    @Test
    void anotherPrefixIsAnotherLab() throws Exception {
        try (LiveFixture f = new LiveFixture(); LiveFixture g = new LiveFixture()) {
            Path file = f.write("pair.topo", PAIR);
            assertEquals(Engine.OK, f.up(file).exit());
            Engine g2 = new Engine(f.store, new Observer(Observer.KERNEL), g.progress::add);
            Engine.Outcome o = g2.up(LiveFixture.compile(file), file, Files.readString(file), g.options(), g.out::add);
            assertEquals(Engine.OK, o.exit(), o.message());
            assertEquals(2, f.store.list().size());
            assertTrue(f.exists("a") && g.exists("a"));
        }
    }

    @Test
    void aNamespaceNoLabOwnsIsRefusedThenAdoptedWithReplace() throws Exception {
        try (LiveFixture f = new LiveFixture()) {
            assertEquals(0, Lab.run(java.util.Map.of(), 10, "ip", "netns", "add", f.ns("a")).code());
            Path file = f.write("pair.topo", PAIR);
            Engine.Outcome refused = f.up(file);
            assertEquals(Engine.REFUSED, refused.exit());
            assertTrue(String.join("\n", f.progress).contains("pair.topo:2:6: error[E0903]: namespace " + f.ns("a") + " (node a) exists and no lab owns it"),
                    f.progress::toString);
            assertFalse(f.exists("b"), "nothing was created");
            assertEquals(Engine.OK, f.up(file, f.options(true, -1)).exit());
            assertEquals(List.of(f.ns("a"), f.ns("b")), f.store.find("pair@" + f.prefix).orElseThrow().namespaces());
        }
    }

    @Test
    void aSecondUpOfTheSameLabWaitsForTheLockOrRefuses() throws Exception {
        try (LiveFixture f = new LiveFixture()) {
            Path file = f.write("pair.topo", PAIR);
            LabId id = new LabId(f.prefix, "pair");
            try (LabLock held = f.store.lock(id, Duration.ZERO, s -> { })) {
                LabBusyException busy = assertThrows(LabBusyException.class, () -> f.up(file));
                assertEquals("E0904", LabBusyException.CODE.id());
                assertTrue(busy.getMessage().contains("lab pair@" + f.prefix + " is being changed by another topoc (pid "
                        + ProcessHandle.current().pid() + ")"), busy.getMessage());
                assertFalse(f.exists("a"), "nothing was created while the lock was held");
            }
            // a waiting up goes ahead once the holder lets go
            LabLock held = f.store.lock(id, Duration.ZERO, s -> { });
            AtomicReference<Engine.Outcome> result = new AtomicReference<>();
            AtomicReference<Exception> failed = new AtomicReference<>();
            Thread waiter = new Thread(() -> {
                try {
                    result.set(f.up(file, new Engine.Options(f.prefix, true, false, Duration.ofSeconds(30), -1)));
                } catch (Exception e) {
                    failed.set(e);
                }
            });
            waiter.start();
            Thread.sleep(700);
            assertFalse(f.exists("a"), "the second up waits");
            held.close();
            waiter.join(30_000);
            assertEquals(null, failed.get());
            assertEquals(Engine.OK, result.get().exit(), result.get().message());
            assertTrue(f.progress.stream().anyMatch(l -> l.contains("waiting up to 30 s")), f.progress::toString);
        }
    }

    @Test
    void downRemovesTheLabAndIsIdempotent() throws Exception {
        try (LiveFixture f = new LiveFixture()) {
            Path file = f.write("pair.topo", PAIR);
            assertEquals(Engine.OK, f.up(file).exit());
            LabId id = new LabId(f.prefix, "pair");
            Engine.Outcome down = f.engine.down(id, f.options(), f.out::add);
            assertEquals(Engine.OK, down.exit(), down.message());
            assertFalse(f.exists("a"));
            assertFalse(f.exists("b"));
            assertTrue(f.store.find(id).isEmpty(), "the record is gone");
            assertFalse(java.nio.file.Files.exists(f.store.dir().resolve(id.name() + ".lock")), "and so is its lock file");
            Engine.Outcome again = f.engine.down(id, f.options(), f.out::add);
            assertEquals(Engine.OK, again.exit());
            assertTrue(again.message().contains("not running"), again.message());
            assertEquals(List.of(), Lab.namespacesWith(f.prefix));
        }
    }

    @Test
    void theRecordIsPrivate() throws Exception {
        try (LiveFixture f = new LiveFixture()) {
            Path file = f.write("pair.topo", PAIR);
            assertEquals(Engine.OK, f.up(file).exit());
            Path rec = f.store.recordPath(new LabId(f.prefix, "pair"));
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(rec)));
            assertEquals(LabStore.sha256(PAIR), f.store.find("pair@" + f.prefix).orElseThrow().sha256());
        }
    }
}
