package dev.topoc.backends.sim;

import dev.topoc.compiler.model.Proto;
import java.util.List;

/**
 * The answer to one question "does {@code from} reach {@code to}?": whether the request arrived and the
 * reply came back ({@code reaches}), the node that finally received the request ({@code lands}, after
 * DNAT; null when it was not delivered), the nodes the request crossed in order ({@code path}), every
 * hop of both legs, and, when it does not reach, the reason with the source line responsible.
 */
public record Trace(String from, String to, String address, Proto proto, Integer port, boolean reaches, String lands,
        List<String> path, List<Hop> hops, String reason) {
    public Trace {
        path = List.copyOf(path);
        hops = List.copyOf(hops);
    }

    /** One line: {@code ns1 -> 10.0.0.2 icmp: reaches (lands ns2)} or {@code ...: no reach: REASON}. */
    public String summary() {
        String what = from + " -> " + to + (to.equals(address) ? "" : " (" + address + ")") + " "
                + proto.word() + (port == null ? "" : " " + port);
        return reaches ? what + ": reaches" + (lands == null ? "" : " (lands " + lands + ")")
                : what + ": no reach: " + reason;
    }
}
