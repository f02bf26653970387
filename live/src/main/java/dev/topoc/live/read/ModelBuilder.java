package dev.topoc.live.read;

import java.util.Map;

/** Dumps of the read namespaces → model records (see {@link LiveReader} for the design). */
final class ModelBuilder {
    private ModelBuilder() {}

    static LiveState build(String name, Map<String, NamespaceDump> dumps) {
        throw new UnsupportedOperationException("not yet");
    }
}
