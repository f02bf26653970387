package dev.topoc.compiler.diag;

import java.util.List;

/**
 * The codes a module contributes beyond the compiler's {@link Code}: a backend's or the live stage's enum,
 * registered as a {@link java.util.ServiceLoader} provider in {@code META-INF/services/dev.topoc.compiler.diag.CodeSet}.
 * {@link Codes#all()} lists them after the compiler's codes.
 */
public interface CodeSet {
    /** The codes, in the order the SARIF rules list them. */
    List<? extends DiagnosticCode> codes();
}
