package dev.topoc.compiler.model;

import java.util.Locale;
import java.util.Optional;

/** Route types (iproute2 names). */
public enum RouteType {
    UNICAST,
    BLACKHOLE,
    UNREACHABLE,
    PROHIBIT;

    /** The word used in both spellings. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<RouteType> of(String word) {
        for (RouteType v : values()) {
            if (v.word().equals(word)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    public static String choices() {
        return java.util.Arrays.stream(values()).map(RouteType::word).collect(java.util.stream.Collectors.joining(" | "));
    }
}
