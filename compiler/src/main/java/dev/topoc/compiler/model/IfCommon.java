package dev.topoc.compiler.model;

import dev.topoc.compiler.diag.Span;
import java.util.List;

/**
 * What every interface has. {@code mtu}, {@code mac} and {@code master} are null when not set;
 * {@code addresses} are resolved ({@code auto} already allocated); {@code hairpin} (bridge ports only)
 * makes the bridge send frames back out of the port they came in, as a reflective-relay (VEPA) switch does.
 */
public record IfCommon(String node, String name, Span span, List<Cidr> addresses, Integer mtu, String mac, String master,
        boolean up, boolean hairpin) {
    public IfCommon {
        addresses = List.copyOf(addresses);
    }

    public IfRef ref() {
        return new IfRef(node, name);
    }
}
