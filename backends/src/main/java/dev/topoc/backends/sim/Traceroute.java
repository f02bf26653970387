package dev.topoc.backends.sim;

import dev.topoc.compiler.model.Proto;
import java.util.List;

/**
 * What {@code traceroute -n -q 1 -N 1} prints from {@code from} to {@code address}: one {@link Probe} per TTL, up to the
 * first that is final (the destination answered, or an unreachable came back) or the hop limit. {@code error} is
 * set when the probe cannot even be sent (traceroute prints {@code connect: …} and nothing else).
 */
public record Traceroute(String from, String to, String address, Proto proto, Integer port, int length, boolean df, List<Probe> probes,
        boolean reached, String error) {
    public Traceroute {
        probes = List.copyOf(probes);
    }

    /**
     * One probe: its TTL, the address that answered (null: {@code *}, nothing came back), the node that answered, the
     * marker traceroute prints after it ({@code !N !H !X !F-MTU}, or empty), and why: what the node did with the probe,
     * or why nothing came back.
     */
    public record Probe(int ttl, String address, String node, String marker, String why) {
        /** The line as traceroute prints it, without times: {@code " 2  10.0.2.2 !H"} or {@code " 3  *"}. */
        public String line() {
            return String.format("%2d  ", ttl) + (address == null ? "*" : address + (marker.isEmpty() ? "" : " " + marker));
        }
    }

    /**
     * The command this answer stands for: {@code traceroute -n -I}, {@code -U -p 53}, {@code -T -p 80} or the UDP default, with
     * {@code -F} (don't fragment) and the packet length when it is not the default (60; IPv6 80).
     */
    public String command() {
        String how = switch (proto) {
            case ICMP -> " -I";
            case UDP -> port == null ? "" : " -U -p " + port;
            case TCP -> " -T -p " + port;
        };
        return "traceroute -n" + how + (df ? " -F" : "") + " " + address + (length == (address.contains(":") ? TraceQuestion.DEFAULT_PACKET_V6 : TraceQuestion.DEFAULT_PACKET) ? "" : " " + length);
    }
}
