package dev.topoc.backends.sim;

import dev.topoc.compiler.model.Expectation;

/** The outcome of one {@code expect}: whether it holds, the trace that decides it (null when the question could not be asked), and why. */
public record Check(Expectation expectation, boolean holds, Trace trace, String message) {}
