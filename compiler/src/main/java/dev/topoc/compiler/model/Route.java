package dev.topoc.compiler.model;

import dev.topoc.compiler.diag.Span;
import inet.ipaddr.IPAddress;

/**
 * A route. {@code to} is a network prefix ({@code 0.0.0.0/0} or {@code ::/0} for {@code default});
 * {@code via}, {@code dev}, {@code metric}, {@code src} are nullable; {@code table} is {@code main} by default.
 */
public record Route(Span span, Cidr to, IPAddress via, String dev, Integer metric, String table, IPAddress src, RouteType type) {
    public boolean isDefault() {
        return to.prefixLength() == 0;
    }
}
