package dev.topoc.compiler.model;

import dev.topoc.compiler.diag.Span;
import inet.ipaddr.IPAddress;

/**
 * A NAT entry. Masquerade and SNAT rewrite the source on the way out ({@code toAddress}: the SNAT
 * address); DNAT rewrites the destination on the way in ({@code toAddress}, optional {@code toPort}).
 * Every other field is a nullable match.
 */
public record NatRule(Span span, NatType type, Cidr from, IPAddress toAddress, Integer toPort,
        IfMatch out, IfMatch in, Proto proto, PortRange port, IPAddress dst) {}
