package dev.topoc.backends.networkd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs commands for the real-namespace tests: bounded in time, output captured through a file. */
final class Sh {
    private Sh() {}

    record Result(int code, String output) {
        boolean ok() {
            return code == 0;
        }
    }

    static Result run(long timeoutSeconds, List<String> cmd) {
        try {
            Path log = Files.createTempFile("topoc-sh", ".out");
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
                if (!done) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
                String out = Files.readString(log, StandardCharsets.UTF_8);
                return new Result(done ? p.exitValue() : -1, done ? out : out + "\n(timed out after " + timeoutSeconds + " s)");
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            return new Result(-2, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-3, "interrupted");
        }
    }

    static Result run(String... cmd) {
        return run(30, List.of(cmd));
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    /** The namespaces that exist now (names only). */
    static List<String> namespaces() {
        return run("ip", "netns", "list").output().lines().map(l -> l.split(" ")[0]).filter(s -> !s.isBlank()).toList();
    }
}
