package dev.topoc.backends;

/**
 * Options every backend understands (LANGUAGE.md §4): {@code prefix} names each node's namespace
 * {@code prefix + node}; {@code sandbox} maps root and external nodes into namespaces too and creates the
 * cables of links with a physical end, so a whole topology comes up without touching the machine.
 */
public record BackendOptions(String prefix, boolean sandbox, boolean standIns) {
    public static final BackendOptions DEFAULT = new BackendOptions("", false);

    public BackendOptions {
        prefix = prefix == null ? "" : prefix;
    }

    /**
     * {@code standIns}: a node whose {@code listen}s no {@code run} serves gets the stand-in listener, as in the sandbox;
     * also for the parts of an Ansible sandbox, whose machines are compiled as real hosts (not {@code sandbox}) yet
     * stand in the lab as the sandbox's nodes do.
     */
    public BackendOptions(String prefix, boolean sandbox) {
        this(prefix, sandbox, sandbox);
    }

    public String namespace(String node) {
        return prefix + node;
    }
}
