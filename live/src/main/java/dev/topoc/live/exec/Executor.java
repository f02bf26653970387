package dev.topoc.live.exec;

import dev.topoc.live.diff.Change;
import dev.topoc.live.diff.Change.Action;
import dev.topoc.live.diff.Change.Tool;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs changes against the kernel. Consecutive {@code ip} lines for one namespace become one {@code ip -batch}
 * process, entered with {@code nsenter --net=/run/netns/NS} as {@code apply.sh} does (switching only the network
 * namespace is cheaper than {@code ip -n}, which also remounts /sys); consecutive sysctls of a namespace become one
 * {@code sysctl -w}; a ruleset is one {@code nft -f -}, which swaps it atomically.
 *
 * <p>{@code ip -batch} stops at the first failing line and names it ({@code Command failed -:N}), which maps back
 * to the change that line belongs to: the {@link Failure} names that change (its object and its source line). The
 * executor itself does not undo anything; the engine rolls back by converging to the state it read before the run.
 */
public final class Executor {
    private static final Pattern FAILED_LINE = Pattern.compile("Command failed -:(\\d+)");

    /** Why a run stopped: at {@code index} (0-based) of the changes, with the kernel's message. */
    public record Failure(int index, Change change, String message) {}

    private final boolean force;
    private final int failBefore;

    /**
     * @param force go on past errors (a rollback does its best)
     * @param failBefore fail on purpose before change number {@code failBefore} (0-based; -1: never): the test hook
     *     {@code TOPOC_LIVE_FAIL_AFTER}
     */
    public Executor(boolean force, int failBefore) {
        this.force = force;
        this.failBefore = failBefore;
    }

    /** Runs {@code changes} in order; {@code done} hears how many are complete after every process. */
    public Optional<Failure> run(List<Change> changes, IntConsumer done) {
        List<Line> pending = new ArrayList<>();
        for (int c = 0; c < changes.size(); c++) {
            if (c == failBefore) {
                Optional<Failure> f = flush(pending, changes);
                if (f.isPresent()) {
                    return f;
                }
                return Optional.of(new Failure(c, changes.get(c), "injected failure (TOPOC_LIVE_FAIL_AFTER=" + failBefore + ")"));
            }
            for (Action a : changes.get(c).actions()) {
                if (!pending.isEmpty() && !joins(pending.get(0).action(), a)) {
                    Optional<Failure> f = flush(pending, changes);
                    if (f.isPresent()) {
                        return f;
                    }
                    done.accept(c);
                }
                pending.add(new Line(a, c));
            }
        }
        Optional<Failure> f = flush(pending, changes);
        done.accept(changes.size());
        return f;
    }

    private record Line(Action action, int change) {}

    private static boolean joins(Action first, Action next) {
        return first.tool() == next.tool() && first.where().equals(next.where()) && first.tool() != Tool.NFT
                && first.text().startsWith(Action.IPV6) == next.text().startsWith(Action.IPV6);
    }

    private Optional<Failure> flush(List<Line> pending, List<Change> changes) {
        if (pending.isEmpty()) {
            return Optional.empty();
        }
        Action first = pending.get(0).action();
        List<String> cmd = new ArrayList<>();
        if (!first.where().isEmpty()) {
            cmd.addAll(List.of("nsenter", "--net=/run/netns/" + first.where()));
        }
        String stdin = "";
        switch (first.tool()) {
            case IP -> {
                cmd.add("ip");
                if (force) {
                    cmd.add("-force");
                }
                boolean v6 = first.text().startsWith(Action.IPV6);
                if (v6) {
                    cmd.add("-6"); // an IPv6 rule: a batch line cannot say the family
                }
                cmd.addAll(List.of("-batch", "-"));
                StringBuilder s = new StringBuilder();
                pending.forEach(l -> s.append(v6 ? l.action().text().substring(Action.IPV6.length()) : l.action().text())
                        .append('\n'));
                stdin = s.toString();
            }
            case SYSCTL -> {
                cmd.addAll(List.of("sysctl", "-q", "-w"));
                pending.forEach(l -> cmd.add(l.action().text()));
            }
            case NFT -> {
                cmd.addAll(List.of("nft", "-f", "-"));
                stdin = first.text();
            }
        }
        Run r = run(cmd, stdin);
        List<Line> ran = List.copyOf(pending);
        pending.clear();
        if (r.code == 0 || force) {
            return Optional.empty();
        }
        int at = ran.get(0).change();
        Matcher m = FAILED_LINE.matcher(r.err);
        if (first.tool() == Tool.IP && m.find()) {
            int line = Integer.parseInt(m.group(1));
            if (line >= 1 && line <= ran.size()) {
                at = ran.get(line - 1).change();
            }
        }
        return Optional.of(new Failure(at, changes.get(at), summary(r.err, cmd)));
    }

    private static String summary(String err, List<String> cmd) {
        String text = err.strip().lines().filter(l -> !l.isBlank()).reduce((a, b) -> a + "; " + b).orElse("");
        return (text.isEmpty() ? String.join(" ", cmd) + " failed" : text);
    }

    record Run(int code, String out, String err) {}

    /** Runs {@code cmd} with {@code stdin}; the exit code and both outputs. */
    static Run run(List<String> cmd, String stdin) {
        try {
            Path err = Files.createTempFile("topoc-live", ".err");
            try {
                Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
                try (OutputStream in = p.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(300, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return new Run(-1, out, String.join(" ", cmd) + " timed out");
                }
                return new Run(p.exitValue(), out, Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            return new Run(-1, "", "cannot run " + cmd.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Run(-1, "", "interrupted");
        }
    }
}
