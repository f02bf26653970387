package dev.topoc.compiler.model;

import dev.topoc.compiler.diag.Span;

/**
 * A command started inside the node when the lab comes up and stopped when it goes down
 * ({@code run "python3 -m http.server 80"}). It runs as root; backends show it verbatim.
 */
public record Run(Span span, String command) {}
