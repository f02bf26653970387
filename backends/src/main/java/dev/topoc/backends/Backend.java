package dev.topoc.backends;

import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.Topology;

/**
 * Every backend has the same shape: a valid model in, artifacts out. What a backend cannot express is
 * reported as a diagnostic (with a code and the responsible source line) and the caller writes nothing.
 */
public interface Backend {
    Artifacts generate(Topology model, BackendOptions options, Diagnostics diagnostics);
}
