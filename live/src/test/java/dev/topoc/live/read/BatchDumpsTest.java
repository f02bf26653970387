package dev.topoc.live.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.topoc.backends.lab.Lab;
import dev.topoc.live.exec.Observer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The helper that reads many namespaces in one process ({@link BatchDumps}) against the one-{@code nsenter}-per-
 * namespace lean dump, on a real lab: a star of 9 hosts (so that {@link Observer#KERNEL} takes the helper's path,
 * from 8 namespaces on), one host with a route of its own and an IPv6 address.
 */
class BatchDumpsTest {
    private static final String STAR = """
            topology batchstar

            node sw {
              bridge br0 {
                address 10.9.0.1/24
                subnet 10.9.0.0/24
              }
              iface p[1..9] { master br0 }
            }

            node h[1..9] {
              iface eth0 { address auto }
              route default via 10.9.0.1
            }

            link h[1..9]:eth0 -- sw:p[1..9]
            """;

    @Test
    void theHelperReadsWhatNsenterReads() throws IOException, InterruptedException {
        Lab.assumeMachine();
        try (Lab lab = Lab.of("batchstar.topo", STAR)) {
            Lab.Result applied = lab.apply("-q");
            assertEquals(0, applied.code(), applied.toString());
            String h3 = lab.namespace("h3");
            Lab.Result extra = Lab.run(Map.of(), 10, "ip", "-n", h3, "route", "add", "10.50.0.0/16", "via", "10.9.0.1");
            assertEquals(0, extra.code(), extra.toString());
            Lab.run(Map.of(), 10, "ip", "-n", h3, "addr", "add", "2001:db8::3/64", "dev", "eth0", "nodad");
            List<String> namespaces = new ArrayList<>(lab.namespaces());
            assertEquals(10, namespaces.size(), namespaces.toString());
            settled(namespaces);
            String gone = lab.prefix + "nosuch";
            namespaces.add(3, gone);

            Map<String, NamespaceDump> batch = BatchDumps.read(namespaces);
            assumeTrue(!batch.isEmpty(), "python3 cannot run the helper here (too old for os.memfd_create?)");
            assertFalse(batch.containsKey(gone), "a namespace that does not exist is left to the caller");
            namespaces.remove(gone);
            assertEquals(namespaces, List.copyOf(batch.keySet()), "every namespace, in the order asked");
            for (String ns : namespaces) {
                NamespaceDump one = NamespaceDump.of(ns, NamespaceDump.Parts.LEAN);
                assertEquals(timeless(one), timeless(batch.get(ns)), ns);
            }
            assertTrue(batch.get(h3).routes4().toString().contains("10.50.0.0/16"), batch.get(h3).routes4().toString());
            assertTrue(batch.get(h3).addresses().toString().contains("2001:db8::3"), batch.get(h3).addresses().toString());

            // the observer's read of the whole lab (the helper's path) builds the model the per-namespace dumps build
            Map<String, String> nodes = new LinkedHashMap<>();
            Map<String, NamespaceDump> dumps = new LinkedHashMap<>();
            for (String ns : namespaces) {
                String node = ns.substring(lab.prefix.length());
                nodes.put(node, ns);
                dumps.put(node, NamespaceDump.of(ns, NamespaceDump.Parts.LEAN));
            }
            assertEquals(LiveReader.fromDumps("live", dumps, false).topology(), Observer.KERNEL.read(nodes));
        }
    }

    /** The dump's text without the bridge's timers (hello, gc...: they count down between two reads). */
    private static String timeless(NamespaceDump d) {
        return d.toString().replaceAll("\"[a-z_]*timer\":[0-9.]+", "");
    }

    /** Waits (10 s at most) until no address of the lab is tentative: the dumps compared are then the same state. */
    private static void settled(List<String> namespaces) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end
                && namespaces.stream().anyMatch(ns -> NamespaceDump.of(ns, NamespaceDump.Parts.LEAN).addresses().toString()
                        .contains("\"tentative\""))) {
            Thread.sleep(200);
        }
    }
}
