package dev.topoc.live.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the lean read ({@link NamespaceDump.Parts#LEAN}) does not read, counted for every namespace of a lab in one
 * process: how many IPv6 policy rules each namespace has beyond the two it starts with, and its nftables tables. A
 * batch line of {@code ip} cannot ask for IPv6 rules (iproute2's {@code rule show} dumps {@code AF_INET} unless the
 * process was started with {@code -6}), and nft has no batch across namespaces, so reading them in each namespace
 * would take two more processes per namespace; {@code census.py} (beside this class) enters every namespace in turn
 * ({@code setns}) and asks the kernel over netlink ({@code RTM_GETRULE}, {@code NFT_MSG_GETTABLE}). {@code plan}
 * then reads IPv6 rules and table {@code inet topoc} only where this says there are some.
 */
public final class Census {
    /** One namespace: IPv6 rules beyond the defaults, and its nftables tables ({@code FAMILY NAME}). */
    public record Entry(int rules6, List<String> tables) {}

    private static final String SCRIPT = resource("census.py");

    private Census() {}

    /**
     * The census of {@code namespaces} (names under /run/netns; "" the default namespace), or null when it cannot be
     * taken (no python3, not root): the caller then reads as it would without it.
     */
    public static Map<String, Entry> of(Collection<String> namespaces) {
        if (namespaces.isEmpty()) {
            return Map.of();
        }
        List<String> cmd = new ArrayList<>(List.of("python3", "-S", "-c", SCRIPT));
        cmd.addAll(namespaces);
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return null;
            }
            return parse(new ObjectMapper().readTree(out));
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static Map<String, Entry> parse(JsonNode tree) {
        Map<String, Entry> m = new LinkedHashMap<>();
        tree.fields().forEachRemaining(e -> {
            List<String> tables = new ArrayList<>();
            e.getValue().path("tables").forEach(t -> tables.add(t.asText()));
            m.put(e.getKey(), new Entry(e.getValue().path("rules6").asInt(), List.copyOf(tables)));
        });
        return m;
    }

    private static String resource(String name) {
        try (InputStream in = Census.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
