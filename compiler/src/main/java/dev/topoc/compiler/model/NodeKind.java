package dev.topoc.compiler.model;

import java.util.Locale;
import java.util.Optional;

/** What a node stands for: a namespace, a machine's default namespace, or the outside world. */
public enum NodeKind {
    NETNS,
    ROOT,
    EXTERNAL;

    /** The word used in both spellings. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<NodeKind> of(String word) {
        for (NodeKind v : values()) {
            if (v.word().equals(word)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    public static String choices() {
        return java.util.Arrays.stream(values()).map(NodeKind::word).collect(java.util.stream.Collectors.joining(" | "));
    }
}
