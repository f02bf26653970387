package dev.topoc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topoc.backends.lab.Lab;
import dev.topoc.live.lab.LabRecord;
import dev.topoc.live.lab.LabStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** import, inspect and exec on a real sandboxed lab (root), run in-process: output and exit codes. */
class LiveReadCommandsTest {
    static final String TOPO = """
            topology pair
            node n1 {
              iface veth-n1 { address 10.10.10.1/24 }
              route 10.20.0.0/16 via 10.10.10.2
            }
            node n2 {
              forwarding
              iface veth-n2 { address 10.10.10.2/24 }
            }
            link n1:veth-n1 -- n2:veth-n2
            expect n1 -> n2 reach
            """;

    static Lab lab;
    @TempDir
    static Path dir;
    static Path file;

    @BeforeAll
    static void up() throws Exception {
        Lab.assumeMachine();
        file = dir.resolve("pair.topo");
        Files.writeString(file, TOPO);
        lab = Lab.of("pair.topo", TOPO);
        Lab.Result r = lab.apply("-q");
        assertEquals(0, r.code(), r::toString);
    }

    @AfterAll
    static void down() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void importWritesAFileThatValidatesAndSaysWhatRuns() throws Exception {
        Path out = dir.resolve("imported.topo");
        CliTest.Run r = CliTest.run("import", "--prefix", lab.prefix, "-o", out.toString());
        assertEquals(0, r.exit(), r::toString);
        String text = Files.readString(out);
        assertTrue(text.contains("link n1:veth-n1 -- n2:veth-n2"), text);
        assertTrue(text.contains("route 10.20.0.0/16 via 10.10.10.2"), text);
        assertTrue(text.contains("forwarding"), text);
        assertEquals(0, CliTest.run("validate", out.toString()).exit());
        CliTest.Run yaml = CliTest.run("import", "--prefix", lab.prefix, "--to", "yaml");
        assertEquals(0, yaml.exit(), yaml::toString);
        assertTrue(yaml.out().contains("links:"), yaml.out());
    }

    @Test
    void importExitCodes() {
        assertEquals(4, CliTest.run("import", "--prefix", lab.prefix + "nothing-").exit(), "no such namespaces");
        assertEquals(2, CliTest.run("import", "--prefix", lab.prefix, "--netns", "x").exit(), "--prefix or --netns");
        assertEquals(4, CliTest.run("import", "--netns", lab.prefix + "absent").exit());
    }

    @Test
    void execPassesTheExitCodeThrough() {
        CliTest.Run addr = CliTest.run("exec", file.toString(), "n1", "--sandbox", "--prefix", lab.prefix, "--", "ip", "-br",
                "addr", "show", "dev", "veth-n1");
        assertEquals(0, addr.exit(), addr::toString);
        assertTrue(addr.out().contains("10.10.10.1/24"), addr.out());
        assertEquals(7, CliTest.run("exec", file.toString(), "n1", "--sandbox", "--prefix", lab.prefix, "--", "sh", "-c",
                "exit 7").exit());
        CliTest.Run ping = CliTest.run("exec", file.toString(), "n1", "--sandbox", "--prefix", lab.prefix, "--", "ping",
                "-c1", "-W1", "10.10.10.2");
        assertEquals(0, ping.exit(), ping::toString);
        assertEquals(2, CliTest.run("exec", file.toString(), "nope", "--sandbox", "--prefix", lab.prefix, "--", "true").exit());
        assertEquals(4, CliTest.run("exec", file.toString(), "n1", "--sandbox", "--prefix", lab.prefix + "x", "--", "true")
                .exit(), "no such namespace");
    }

    @Test
    void inspectAndExecByLabRecord() throws Exception {
        LabStore store = LabStore.system();
        LabRecord record = new LabRecord(LabRecord.VERSION, lab.prefix, "pair", true, file.toAbsolutePath().toString(),
                LabStore.sha256(TOPO), List.of(node("n1"), node("n2")));
        store.write(record);
        try {
            CliTest.Run r = CliTest.run("inspect", "--lab", record.name());
            assertEquals(0, r.exit(), r::toString);
            assertTrue(r.out().contains("lab " + record.name() + "  in sync"), r.out());
            assertTrue(r.out().contains("veth-n1 veth up 10.10.10.1/24 -- n2:veth-n2"), r.out());
            assertEquals(3, CliTest.run("exec", "--lab", record.name(), "n2", "--", "sh", "-c", "exit 3").exit());

            Lab.Result del = Lab.run(Map.of(), 10, "ip", "-n", lab.namespace("n2"), "addr", "del", "10.10.10.2/24", "dev",
                    "veth-n2");
            assertEquals(0, del.code(), del::toString);
            CliTest.Run json = CliTest.run("inspect", "--lab", record.name(), "--format", "json");
            assertEquals(0, json.exit(), json::toString);
            JsonNode labJson = new ObjectMapper().readTree(json.out()).path("labs").get(0);
            assertEquals("drifted", labJson.path("status").asText());
            assertTrue(labJson.path("drift").toString().contains("address 10.10.10.2/24 on n2:veth-n2"), labJson.toString());
            Lab.run(Map.of(), 10, "ip", "-n", lab.namespace("n2"), "addr", "add", "10.10.10.2/24", "dev", "veth-n2");
        } finally {
            store.delete(record.id());
        }
    }

    private static LabRecord.NodeRecord node(String n) {
        return new LabRecord.NodeRecord(n, lab.namespace(n), true, List.of(), List.of(), List.of(), List.of(), Map.of(), null,
                null);
    }
}
