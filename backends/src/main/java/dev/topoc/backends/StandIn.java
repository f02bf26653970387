package dev.topoc.backends;

import dev.topoc.compiler.model.Node;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The stand-in listener of a sandboxed node whose {@code listen}s no {@code run} serves: one python3 process that
 * binds every listen of the node and answers each tcp connection and each udp datagram with the node's name, so a
 * sandboxed lab answers exactly what the simulator answers. {@code apply.sh} and {@code topoc up} start the same
 * program ({@code standin.py} beside this class) with the same arguments: the node's name, then {@link #words}.
 */
public final class StandIn {
    private static final String SCRIPT = load();

    private StandIn() {}

    /** The program's text. */
    public static String script() {
        return SCRIPT;
    }

    /** Whether {@code n} gets a stand-in under {@code --sandbox}: it listens and runs nothing. */
    public static boolean needed(Node n) {
        return n.runs().isEmpty() && !n.listens().isEmpty();
    }

    /** The program's listen arguments: {@code tcp/80}, {@code tcp/8000-8010}, {@code udp/53@10.0.0.10}. */
    public static List<String> words(Node n) {
        return n.listens().stream().map(l -> l.proto().word() + "/" + l.ports()
                + (l.on() == null ? "" : "@" + l.on().toCanonicalString())).toList();
    }

    private static String load() {
        try (InputStream in = StandIn.class.getResourceAsStream("standin/standin.py")) {
            if (in == null) {
                throw new IllegalStateException("missing resource standin/standin.py");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
