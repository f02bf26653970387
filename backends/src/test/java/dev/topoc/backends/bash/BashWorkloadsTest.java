package dev.topoc.backends.bash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.backends.Artifacts;
import dev.topoc.backends.BackendOptions;
import dev.topoc.backends.lab.Lab;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.Compiler;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.syntax.SourceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Workloads in the bash backend: each {@code run} starts in its namespace with setsid, its pid recorded and its
 * output logged in the record folder; a listen no run serves gets a stand-in under --sandbox; destroy.sh stops
 * them by the recorded pid, only while that pid is still in its namespace, and leaves no process or namespace.
 */
class BashWorkloadsTest {
    private static final String TOPO = """
            node a { iface eth0 { address 10.0.0.1/24 } }
            node web {
              iface eth0 { address 10.0.0.10/24 }
              listen tcp 80
              run "python3 -m http.server 80 --bind 10.0.0.10"
              run "sh -c 'echo \\"started in $(ip -o link show dev eth0 | cut -d: -f2)\\"; exec sleep 1000'"
            }
            node dns {
              iface eth0 { address 10.0.0.53/24 }
              listen udp 53 on 10.0.0.53
              listen tcp 8000-8002
            }
            node sw { bridge br0  iface p1 { master br0 }  iface p2 { master br0 }  iface p3 { master br0 } }
            link a:eth0 -- sw:p1
            link web:eth0 -- sw:p2
            link dns:eth0 -- sw:p3
            """;

    private static String script(boolean sandbox) {
        Compilation c = Compiler.compile(new SourceFile("w.topo", TOPO));
        assertTrue(c.ok(), c.diagnostics().all().toString());
        Diagnostics d = new Diagnostics();
        Artifacts a = new BashBackend().generate(c.model(), new BackendOptions("t-", sandbox), d);
        return a.files().get("apply.sh").content();
    }

    @Test
    void applyShowsEachRunVerbatimAndStandInsOnlyInTheSandbox() {
        String sandboxed = script(true);
        assertTrue(sandboxed.contains("# web (w.topo:5): python3 -m http.server 80 --bind 10.0.0.10\n"), sandboxed);
        assertTrue(sandboxed.contains("# web (w.topo:6): sh -c 'echo \"started in $(ip -o link show dev eth0 | cut -d: -f2)\"; exec sleep 1000'\n"), sandboxed);
        assertTrue(sandboxed.contains("  start_workload dns t-dns dns.log standin udp/53@10.0.0.53 tcp/8000-8002\n"), sandboxed);
        String real = script(false);
        assertFalse(real.contains("standin udp"), real);
        assertTrue(real.contains("start_workload web t-web web.log run 'python3 -m http.server 80 --bind 10.0.0.10'"), real);
    }

    private static Lab.Result client(Lab lab, String node, String address, int port, String proto) {
        String code = "import socket,sys\n"
                + "a,p,k=sys.argv[1],int(sys.argv[2]),sys.argv[3]\n"
                + "try:\n"
                + "  if k=='tcp':\n"
                + "    s=socket.create_connection((a,p),timeout=2); s.settimeout(1)\n"
                + "    try: print('open', s.recv(100).decode())\n"
                + "    except socket.timeout: print('open')\n"
                + "  else:\n"
                + "    s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.settimeout(2); s.connect((a,p)); s.send(b'q')\n"
                + "    print('answered', s.recv(100).decode())\n"
                + "except ConnectionRefusedError: print('refused')\n"
                + "except socket.timeout: print('timeout')\n";
        return Lab.run(Map.of(), 20, "ip", "netns", "exec", lab.namespace(node), "python3", "-c", code, address,
                Integer.toString(port), proto);
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(h -> h.isAlive() && Files.exists(Path.of("/proc/" + pid + "/ns/net"))).orElse(false);
    }

    @Test
    void aLabWithRunsAnswersWhatItDeclaresAndLeavesNothingBehind() throws Exception {
        Lab.assumeMachine();
        org.junit.jupiter.api.Assumptions.assumeTrue(Lab.onPath("setsid"), "needs setsid (util-linux)");
        Process stranger = new ProcessBuilder("sleep", "300").start();
        try {
            check(stranger);
        } finally {
            stranger.destroyForcibly();
        }
    }

    private static void check(Process stranger) throws Exception {
        List<Long> pids;
        Path state;
        try (Lab lab = Lab.of("w.topo", TOPO)) {
            Lab.Result applied = lab.apply("-q");
            assertEquals(0, applied.code(), applied.toString());
            state = lab.stateDir();
            List<String> record = Files.readAllLines(state.resolve("workloads"));
            assertEquals(3, record.size(), record.toString());
            pids = record.stream().map(l -> Long.parseLong(l.split(" ")[0])).toList();
            for (String line : record) {
                String[] f = line.split(" ");
                assertEquals(Files.readSymbolicLink(Path.of("/proc/" + f[0] + "/ns/net")).toString(),
                        Lab.run(Map.of(), 10, "ip", "netns", "exec", f[1], "readlink", "/proc/self/ns/net").out().strip(),
                        "pid " + f[0] + " runs in " + f[1]);
                // a workload must not inherit apply.sh's lock: it would hold the lab's lock for as long as it lives,
                // and destroy.sh would wait for it (found when workloads met the flock of issue 18)
                try (var fds = Files.list(Path.of("/proc/" + f[0] + "/fd"))) {
                    List<String> open = fds.map(fd -> {
                        try {
                            return Files.readSymbolicLink(fd).toString();
                        } catch (java.io.IOException e) {
                            return "";
                        }
                    }).toList();
                    assertTrue(open.stream().noneMatch(t -> t.endsWith(".lock")), "pid " + f[0] + " holds " + open);
                }
            }
            // the run's server may need a moment to bind; the stand-in is listening when apply.sh returns
            String web = "";
            for (int i = 0; i < 50 && !web.startsWith("open"); i++) {
                web = client(lab, "a", "10.0.0.10", 80, "tcp").out().strip();
                Thread.sleep(100);
            }
            assertEquals("open", web);
            assertEquals("refused", client(lab, "a", "10.0.0.10", 81, "tcp").out().strip());
            assertEquals("answered dns", client(lab, "a", "10.0.0.53", 53, "udp").out().strip());
            assertEquals("refused", client(lab, "a", "10.0.0.53", 54, "udp").out().strip());
            assertEquals("open dns", client(lab, "a", "10.0.0.53", 8002, "tcp").out().strip());
            assertEquals("refused", client(lab, "a", "10.0.0.53", 8003, "tcp").out().strip());
            String log = Files.readString(state.resolve("logs/web.log"));
            assertTrue(log.contains("started in  eth0"), log);
            // a recorded pid that is no longer in its namespace (here: a process of the default namespace) is left alone
            Files.writeString(state.resolve("workloads"), stranger.pid() + " " + lab.namespace("web") + " web\n",
                    java.nio.file.StandardOpenOption.APPEND);
            Lab.Result destroyed = lab.destroy("-q");
            assertEquals(0, destroyed.code(), destroyed.toString());
            assertEquals(List.of(), lab.namespaces());
        }
        for (int i = 0; i < 40 && pids.stream().anyMatch(BashWorkloadsTest::alive); i++) {
            Thread.sleep(50);
        }
        for (long pid : pids) {
            assertFalse(alive(pid), "pid " + pid + " still runs after destroy.sh");
        }
        assertFalse(Files.exists(state), "the record is removed");
        assertTrue(stranger.isAlive(), "destroy.sh killed a process that is not in the lab's namespace");
    }
}
