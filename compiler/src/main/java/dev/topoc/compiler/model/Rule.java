package dev.topoc.compiler.model;

import dev.topoc.compiler.diag.Span;

/** A policy routing rule; every selector is nullable (matches all). */
public record Rule(Span span, Integer priority, Cidr from, Cidr to, String iif, String oif, Long fwmark, String table) {}
