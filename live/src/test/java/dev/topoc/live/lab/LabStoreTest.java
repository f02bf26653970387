package dev.topoc.live.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabStoreTest {
    @TempDir
    Path tmp;

    private static LabRecord record(String prefix, String topology, String file) {
        return new LabRecord(LabRecord.VERSION, prefix, topology, true, file, LabStore.sha256("text of " + file),
                List.of(new LabRecord.NodeRecord("h1", prefix + "h1", true, List.of("eth0"), List.of("eth0 10.0.0.1/24"),
                        List.of("default via 10.0.0.254"), List.of(), Map.of("net.ipv4.ip_forward", "1"), null, null)));
    }

    @Test
    void namesOfDifferentPrefixAndTopologyPairsNeverCollide() {
        LabId one = new LabId("a-b", "c");
        LabId two = new LabId("a-", "b-c");
        assertNotEquals(one.name(), two.name());
        assertEquals("c@a-b", one.name());
        assertEquals("b-c@a-", two.name());
        assertEquals("pair", new LabId("", "pair").name());
        assertEquals(one, LabId.parse(one.name()).orElseThrow());
        assertEquals(two, LabId.parse(two.name()).orElseThrow());
        assertTrue(LabId.parse("x@").isEmpty());
        assertTrue(LabId.parse("../etc").isEmpty());
    }

    @Test
    void collidingPairsGetTwoRecords() throws IOException {
        LabStore store = new LabStore(tmp.resolve("live"));
        store.write(record("a-b", "c", "/one.topo"));
        store.write(record("a-", "b-c", "/two.topo"));
        assertEquals(2, store.list().size());
        assertEquals("/one.topo", store.find("c@a-b").orElseThrow().file());
        assertEquals("/two.topo", store.find("b-c@a-").orElseThrow().file());
    }

    @Test
    void recordsRoundTripAndArePrivate() throws IOException {
        LabStore store = new LabStore(tmp.resolve("live"));
        LabRecord r = record("p-", "pair", "/x/pair.topo");
        store.write(r);
        assertEquals(r, store.find(r.id()).orElseThrow());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.dir())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.recordPath(r.id()))));
        assertEquals(List.of("p-h1"), store.find("pair@p-").orElseThrow().namespaces());
        assertEquals("pair@p-", store.owner("p-h1").orElseThrow().name());
        try (var s = Files.list(store.dir())) {
            assertEquals(List.of("pair@p-.json"), s.map(p -> p.getFileName().toString()).toList(), "no temporary file left");
        }
        store.delete(r.id());
        assertTrue(store.find(r.id()).isEmpty());
        store.delete(r.id()); // twice is fine
    }

    @Test
    void aDamagedRecordIsNamedNotFatalForListing() throws IOException {
        LabStore store = new LabStore(tmp.resolve("live"));
        store.write(record("p-", "pair", "/x/pair.topo"));
        Files.writeString(store.dir().resolve("broken.json"), "{ not json");
        assertEquals(1, store.list().size());
        assertEquals(List.of(store.dir().resolve("broken.json")), store.damaged());
    }

    @Test
    void aRetiredLockFileIsGoneAndWhoWaitedOnItLocksTheNewFileEveryoneElseSees() throws Exception {
        LabStore store = new LabStore(tmp.resolve("live"));
        LabId id = new LabId("r-", "pair");
        Path file = store.dir().resolve(id.name() + ".lock");
        LabLock held = store.lock(id, Duration.ZERO, s -> { });
        java.util.concurrent.CompletableFuture<LabLock> waiter = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return store.lock(id, Duration.ofSeconds(20), s -> { });
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Thread.sleep(300); // the waiter has opened the old file and polls its lock
        held.retire();
        assertFalse(Files.exists(file), "retire unlinks the lock file while holding it");
        held.close();
        try (LabLock next = waiter.get(20, TimeUnit.SECONDS)) {
            assertTrue(Files.exists(file), "the waiter took the path's new file, not the unlinked one");
            // a third locker opens the same path: it must meet the waiter's lock, not a lock of its own
            assertThrows(LabBusyException.class, () -> store.lock(id, Duration.ZERO, s -> { }));
            next.retire();
        }
        assertFalse(Files.exists(file));
        try (LabLock again = store.lock(id, Duration.ZERO, s -> { })) {
            assertEquals(id, again.id());
        }
    }

    @Test
    void aSecondLockerInThisJvmWaitsThenRefuses() throws Exception {
        LabStore store = new LabStore(tmp.resolve("live"));
        LabId id = new LabId("p-", "pair");
        List<String> heard = new ArrayList<>();
        try (LabLock held = store.lock(id, Duration.ZERO, heard::add)) {
            Thread other = new Thread(() -> assertThrows(LabBusyException.class,
                    () -> store.lock(id, Duration.ofMillis(300), heard::add)));
            other.start();
            other.join();
            assertEquals(1, heard.size(), "told once that it waits: " + heard);
            assertTrue(heard.get(0).contains("pid " + ProcessHandle.current().pid()), heard.get(0));
        }
        try (LabLock again = store.lock(id, Duration.ZERO, heard::add)) {
            assertEquals(id, again.id());
        }
        try (LabLock otherLab = store.lock(new LabId("q-", "pair"), Duration.ZERO, heard::add)) {
            assertEquals("pair@q-", otherLab.id().name());
        }
    }

    @Test
    void aLockHeldByAnotherProcessBlocksUntilItIsReleased() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "needs python3 (fcntl locks from another process)");
        LabStore store = new LabStore(tmp.resolve("live"));
        LabId id = new LabId("p-", "pair");
        store.lock(id, Duration.ZERO, s -> { }).close(); // creates the folder and the lock file
        Path lockFile = store.dir().resolve(id.name() + ".lock");
        Process holder = new ProcessBuilder("python3", "-c", "import fcntl,sys,time\n"
                + "f=open(sys.argv[1],'r+'); fcntl.lockf(f, fcntl.LOCK_EX); f.write('4242\\n'); f.flush();"
                + " print('locked', flush=True); time.sleep(1.5)", lockFile.toString()).redirectErrorStream(true).start();
        assertEquals("locked", new String(holder.getInputStream().readNBytes(6)));
        LabBusyException refused = assertThrows(LabBusyException.class, () -> store.lock(id, Duration.ZERO, s -> { }));
        assertTrue(refused.getMessage().contains("pid 4242"), refused.getMessage());
        List<String> heard = new ArrayList<>();
        // that it waited is what it heard, not a duration: on a loaded machine the holder's 1.5 s may be almost over
        // before this thread asks (a lower bound on the wait was flaky)
        try (LabLock waited = store.lock(id, Duration.ofSeconds(20), heard::add)) {
            assertEquals(1, heard.size(), "it waited for the other process: " + heard);
            assertTrue(heard.get(0).contains("pid 4242"), heard.get(0));
        }
        assertTrue(holder.waitFor(10, TimeUnit.SECONDS));
        assertFalse(holder.isAlive());
    }
}
