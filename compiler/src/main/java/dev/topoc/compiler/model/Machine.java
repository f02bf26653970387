package dev.topoc.compiler.model;

import dev.topoc.compiler.diag.Span;
import inet.ipaddr.IPAddress;
import java.util.Optional;

/**
 * A host the topology is spread over (LANGUAGE.md §5, docs/machines.md): {@code ssh} is where Ansible
 * reaches it (an IP address or a host name, as written), {@code underlay} the machine's own address that
 * tunnels leave from (absent when no link crosses to or from the machine), {@code mtu} the MTU of the
 * underlay network (default {@link #DEFAULT_MTU}).
 */
public record Machine(String name, Span span, String ssh, Optional<IPAddress> underlay, int mtu) {
    public static final int DEFAULT_MTU = 1500;

    public Machine {
        underlay = underlay == null ? Optional.empty() : underlay;
    }
}
