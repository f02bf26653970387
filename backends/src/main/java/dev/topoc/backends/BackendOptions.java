package dev.topoc.backends;

/**
 * Options every backend understands (LANGUAGE.md §4): {@code prefix} names each node's namespace
 * {@code prefix + node}; {@code sandbox} maps root and external nodes into namespaces too and creates the
 * cables of links with a physical end, so a whole topology comes up without touching the machine.
 */
public record BackendOptions(String prefix, boolean sandbox) {
    public static final BackendOptions DEFAULT = new BackendOptions("", false);

    public BackendOptions {
        prefix = prefix == null ? "" : prefix;
    }

    public String namespace(String node) {
        return prefix + node;
    }
}
