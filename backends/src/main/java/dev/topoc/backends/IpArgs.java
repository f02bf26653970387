package dev.topoc.backends;

import dev.topoc.compiler.model.Route;
import dev.topoc.compiler.model.RouteType;
import dev.topoc.compiler.model.Rule;

/**
 * The arguments of {@code ip route} and {@code ip rule} for a model route or rule: one spelling for the bash backend
 * and the live commands (whose records keep these strings), tables by the kernel's names.
 */
public final class IpArgs {
    private IpArgs() {}

    /** {@code default via 10.0.0.1 dev eth0}: what follows {@code route add|replace|del}. */
    public static String route(Route r) {
        StringBuilder s = new StringBuilder();
        if (r.type() != null && r.type() != RouteType.UNICAST) {
            s.append(r.type().word()).append(' ');
        }
        s.append(r.isDefault() && r.to().isIpv4() ? "default" : r.to().toString());
        if (r.via() != null) {
            s.append(" via ").append(r.via().toCanonicalString());
        }
        if (r.dev() != null) {
            s.append(" dev ").append(r.dev());
        }
        if (r.metric() != null) {
            s.append(" metric ").append(r.metric());
        }
        String table = table(r.table());
        if (!table.equals("main")) {
            s.append(" table ").append(table);
        }
        if (r.src() != null) {
            s.append(" src ").append(r.src().toCanonicalString());
        }
        return s.toString();
    }

    /** {@code priority 100 from 10.0.0.0/24 lookup 100}: what follows {@code rule add|del}. */
    public static String rule(Rule r) {
        StringBuilder s = new StringBuilder();
        if (r.priority() != null) {
            s.append("priority ").append(r.priority()).append(' ');
        }
        if (r.from() != null) {
            s.append("from ").append(r.from()).append(' ');
        }
        if (r.to() != null) {
            s.append("to ").append(r.to()).append(' ');
        }
        if (r.iif() != null) {
            s.append("iif ").append(r.iif()).append(' ');
        }
        if (r.oif() != null) {
            s.append("oif ").append(r.oif()).append(' ');
        }
        if (r.fwmark() != null) {
            s.append("fwmark ").append(r.fwmark()).append(' ');
        }
        s.append("lookup ").append(table(r.table()));
        return s.toString();
    }

    /** Table names as the kernel spells them: 254 is main, 255 local, 253 default; null means main. */
    public static String table(String t) {
        if (t == null || t.isEmpty() || t.equals("254")) {
            return "main";
        }
        return switch (t) {
            case "255" -> "local";
            case "253" -> "default";
            default -> t;
        };
    }
}
