package dev.topoc.live.diff;

import java.util.List;

/**
 * One line of a plan: create ({@code +}), remove ({@code -}) or change in place ({@code ~}) one kernel object, with
 * the commands that do it. {@code source} is {@code FILE:LINE} of the statement that asks for it; for a removal, the
 * lab record that owns what is removed.
 *
 * @param op what happens
 * @param node the node it happens on
 * @param object what it happens to, e.g. {@code interface h1:eth0}, {@code route default via 10.0.0.1 on h1}
 * @param detail how (kinds, old → new values); may be empty
 * @param source {@code FILE:LINE}, or {@code lab NAME} for removals
 * @param actions the commands, in order
 */
public record Change(Op op, String node, String object, String detail, String source, List<Action> actions) {
    public Change {
        actions = List.copyOf(actions);
    }

    public enum Op {
        CREATE("+"), REMOVE("-"), CHANGE("~");

        public final String sign;

        Op(String sign) {
            this.sign = sign;
        }
    }

    /**
     * One command: an {@code ip -batch} line, a {@code sysctl -w} word, or an {@code nft -f} ruleset, run in
     * namespace {@code where} ({@code ""}: the default namespace).
     */
    public record Action(Tool tool, String where, String text) {
        /**
         * The start of an {@code ip} line that must run with {@code -6} (an IPv6 rule): the executor runs it, without
         * this mark, in an {@code ip -6 -batch} of its own.
         */
        public static final String IPV6 = "-6 ";
    }

    public enum Tool { IP, SYSCTL, NFT }

    /** {@code + interface h1:eth0 (veth to sw:p1)   h.topo:12}. */
    public String line() {
        return op.sign + " " + object + (detail.isEmpty() ? "" : " (" + detail + ")") + "   " + source;
    }
}
