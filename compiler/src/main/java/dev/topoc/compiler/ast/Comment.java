package dev.topoc.compiler.ast;

import dev.topoc.compiler.diag.Span;

/** A DSL comment, kept so that {@code fmt} can put it back. {@code text} includes the marker ({@code #} or {@code //}). */
public record Comment(String text, Span span) {}
