package dev.topoc.compiler.model;

import dev.topoc.compiler.diag.Span;

/** A cable: a veth pair, or a real cable when an end is physical. {@code mtu} and {@code subnet} are nullable. */
public record Link(Span span, IfRef a, IfRef b, Integer mtu, Cidr subnet) {}
