package dev.topoc.compiler.resolve;

import dev.topoc.compiler.ast.Lit;
import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.PortRange;
import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Typed readings of written values. Each method reports a diagnostic at the value and returns empty
 * when the text does not fit; callers then carry on with the next value, so every problem is found.
 */
final class Values {
    static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*");
    static final Pattern MAC = Pattern.compile("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}");
    static final int MAX_IFNAME = 15;
    static final int MAX_NODENAME = 32;
    static final int MAX_TOPOLOGYNAME = 64;
    private static final IPAddressStringParameters STRICT = new IPAddressStringParameters.Builder()
            .allowEmpty(false).allowAll(false).allowSingleSegment(false).allowWildcardedSeparator(false)
            .setRangeOptions(IPAddressStringParameters.RangeParameters.NO_RANGE)
            .getIPv4AddressParametersBuilder().allowLeadingZeros(false).allow_inet_aton(false).getParentBuilder()
            .getIPv6AddressParametersBuilder().allowLeadingZeros(false).getParentBuilder()
            .allowMask(false).toParams();

    private final Diagnostics diagnostics;

    Values(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    Diagnostics diagnostics() {
        return diagnostics;
    }

    /** A name of the language; {@code what} is "interface", "node" or "machine" and chooses the length limit. */
    boolean checkName(String name, Lit where, String what) {
        if (!NAME.matcher(name).matches()) {
            diagnostics.error(Code.BAD_NAME, where.span(), what + " name `" + name
                    + "` is not allowed: names start with a letter and contain only letters, digits, `_`, `.` and `-`");
            return false;
        }
        if (what.equals("interface") && (name.equals("all") || name.equals("default"))) {
            diagnostics.error(Code.BAD_NAME, where.span(), "interface name `" + name + "` is reserved: the kernel's "
                    + "/proc/sys/net/ipv4/conf/" + name + " stands for every interface, so a setting meant for this one "
                    + "would change them all; choose another name");
            return false;
        }
        int limit = switch (what) {
            case "node", "machine" -> MAX_NODENAME;
            case "topology" -> MAX_TOPOLOGYNAME;
            default -> MAX_IFNAME;
        };
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > limit) {
            diagnostics.error(Code.NAME_TOO_LONG, where.span(), what + " name `" + name + "` is "
                    + name.length() + " characters long; the limit is " + limit
                    + (what.equals("interface") ? " (the kernel's IFNAMSIZ)" : ""));
            return false;
        }
        return true;
    }

    Optional<Long> integer(Lit lit, String key, long min, long max) {
        return integer(lit, key, min, max, null);
    }

    /** As {@link #integer(Lit, String, long, long)}; {@code why} (nullable) says where the limit comes from. */
    Optional<Long> integer(Lit lit, String key, long min, long max, String why) {
        String t = lit.text();
        long v;
        try {
            v = t.startsWith("0x") || t.startsWith("0X") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
        } catch (NumberFormatException e) {
            diagnostics.error(Code.WRONG_TYPE, lit.span(), "`" + key + "` takes a whole number, found `" + t + "`");
            return Optional.empty();
        }
        if (v < min || v > max) {
            diagnostics.error(Code.OUT_OF_RANGE, lit.span(), "`" + key + "` " + v + " is out of range; allowed: "
                    + min + " to " + max + (why == null ? "" : " (" + why + ")"));
            return Optional.empty();
        }
        return Optional.of(v);
    }

    Optional<Integer> integer32(Lit lit, String key, int min, int max) {
        return integer(lit, key, min, max).map(Long::intValue);
    }

    Optional<Integer> integer32(Lit lit, String key, int min, int max, String why) {
        return integer(lit, key, min, max, why).map(Long::intValue);
    }

    /** A flag: no value or {@code true}/{@code yes}/{@code on} is true; {@code false}/{@code no}/{@code off} false. */
    Optional<Boolean> flag(Lit lit, String key) {
        if (lit == null) {
            return Optional.of(true);
        }
        switch (lit.text().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on":
                return Optional.of(true);
            case "false", "no", "off":
                return Optional.of(false);
            default:
                diagnostics.error(Code.WRONG_TYPE, lit.span(), "`" + key + "` takes true or false, found `" + lit.text() + "`");
                return Optional.empty();
        }
    }

    <E> Optional<E> word(Lit lit, String key, Function<String, Optional<E>> of, String choices) {
        Optional<E> v = of.apply(lit.text());
        if (v.isEmpty()) {
            String hint = dev.topoc.compiler.ast.Keys.closest(lit.text(), java.util.List.of(choices.split(" \\| ")))
                    .map(s -> "; did you mean `" + s + "`?").orElse("");
            diagnostics.error(Code.BAD_VALUE, lit.span(), "`" + key + "` cannot be `" + lit.text() + "`; expected one of "
                    + choices + hint);
        }
        return v;
    }

    /** A single address without prefix length. */
    Optional<IPAddress> ip(Lit lit, String key) {
        IPAddress a = parse(lit.text());
        if (a == null || a.isPrefixed()) {
            diagnostics.error(Code.BAD_CIDR, lit.span(), "`" + key + "` takes an IPv4 or IPv6 address, found `"
                    + lit.text() + "`");
            return Optional.empty();
        }
        return Optional.of(a);
    }

    /** An interface address {@code 10.0.0.1/24}; a bare address gets the full-length prefix. */
    Optional<Cidr> hostCidr(Lit lit, String key) {
        IPAddress a = parse(lit.text());
        if (a == null) {
            diagnostics.error(Code.BAD_CIDR, lit.span(), "`" + lit.text() + "` is not an address in CIDR form (e.g. 10.0.0.1/24 or 2001:db8::1/64)");
            return Optional.empty();
        }
        int prefix = a.isPrefixed() ? a.getNetworkPrefixLength() : a.getBitCount();
        return Optional.of(new Cidr(a, prefix));
    }

    /** A network prefix {@code 10.0.0.0/24} (host bits must be zero); a bare address is a host route. */
    Optional<Cidr> network(Lit lit, String key) {
        IPAddress a = parse(lit.text());
        if (a == null) {
            diagnostics.error(Code.BAD_CIDR, lit.span(), "`" + key + "` takes a network in CIDR form (e.g. 10.0.0.0/24), found `"
                    + lit.text() + "`");
            return Optional.empty();
        }
        int prefix = a.isPrefixed() ? a.getNetworkPrefixLength() : a.getBitCount();
        Cidr c = new Cidr(a, prefix);
        Cidr net = c.networkCidr();
        if (!net.address().equals(c.address())) {
            diagnostics.error(Code.BAD_CIDR, lit.span(), "`" + lit.text() + "` has host bits set; did you mean `" + net + "`?");
            return Optional.empty();
        }
        return Optional.of(c);
    }

    /** A port or a range {@code lo-hi}. */
    Optional<PortRange> ports(Lit lit, String key) {
        String t = lit.text();
        int dash = t.indexOf('-');
        if (dash > 0) {
            Optional<Integer> lo = integer32(new Lit(t.substring(0, dash), lit.span()), key, 1, 65535);
            Optional<Integer> hi = integer32(new Lit(t.substring(dash + 1), lit.span()), key, 1, 65535);
            if (lo.isEmpty() || hi.isEmpty()) {
                return Optional.empty();
            }
            if (lo.get() > hi.get()) {
                diagnostics.error(Code.OUT_OF_RANGE, lit.span(), "port range `" + t + "` is reversed; write `" + hi.get() + "-" + lo.get() + "`");
                return Optional.empty();
            }
            return Optional.of(new PortRange(lo.get(), hi.get()));
        }
        return integer32(lit, key, 1, 65535).map(PortRange::single);
    }

    static IPAddress parse(String text) {
        try {
            IPAddressString s = new IPAddressString(text, STRICT);
            IPAddress a = s.toAddress();
            if (a == null || (a.isMultiple() && !a.isPrefixBlock())) {
                return null;
            }
            return a;
        } catch (AddressStringException | RuntimeException e) {
            return null;
        }
    }
}
