package dev.topoc.live.lab;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which lab: a topology brought up under a prefix. The name a user types ({@code down --lab NAME}) is the
 * topology's name, followed by {@code @PREFIX} when there is a prefix. Neither a topology name nor a prefix can
 * contain {@code @}, so two different (prefix, topology) pairs never share a name or a record: prefix {@code a-b}
 * with topology {@code c} is {@code c@a-b}, prefix {@code a-} with topology {@code b-c} is {@code b-c@a-}.
 */
public record LabId(String prefix, String topology) {
    private static final Pattern TOPOLOGY = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*");
    private static final Pattern PREFIX = Pattern.compile("([A-Za-z0-9][A-Za-z0-9_.-]{0,31})?");

    public LabId {
        prefix = prefix == null ? "" : prefix;
        if (!TOPOLOGY.matcher(topology).matches()) {
            throw new IllegalArgumentException("not a topology name: '" + topology + "'");
        }
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("not a prefix: '" + prefix + "'");
        }
    }

    /** {@code TOPOLOGY} or {@code TOPOLOGY@PREFIX}. */
    public String name() {
        return prefix.isEmpty() ? topology : topology + "@" + prefix;
    }

    /** The inverse of {@link #name()}; empty when {@code name} is not a lab name. */
    public static Optional<LabId> parse(String name) {
        int at = name.indexOf('@');
        String topology = at < 0 ? name : name.substring(0, at);
        String prefix = at < 0 ? "" : name.substring(at + 1);
        if (!TOPOLOGY.matcher(topology).matches() || !PREFIX.matcher(prefix).matches() || (at >= 0 && prefix.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new LabId(prefix, topology));
    }

    @Override
    public String toString() {
        return name();
    }
}
