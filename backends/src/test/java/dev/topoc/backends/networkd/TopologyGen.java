package dev.topoc.backends.networkd;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * (Copied from the compiler's tests, plus same-node sub-interfaces and tun/tap/dummy.) Generates valid DSL topologies for property tests: nodes joined by links with unique /24s, bridges,
 * VXLAN, macvlan, routes, rules, NAT, firewall, sysctl, expectations and comments, laid out with
 * random whitespace. Valid by construction: every reference points at something that exists and every
 * address is unique, so the compiler must report no error for any of them.
 */
final class TopologyGen {
    private final Random r;
    private final StringBuilder out = new StringBuilder();

    private TopologyGen(Random r) {
        this.r = r;
    }

    public static String generate(Random random) {
        return new TopologyGen(random).build();
    }

    private record LinkEnd(int node, String iface, String address, String peerAddress, int link) {}

    private String build() {
        int nodeCount = 1 + r.nextInt(6);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < nodeCount; i++) {
            names.add(pick("n", "host", "router", "ns", "web", "db-", "x.y") + i);
        }
        List<List<LinkEnd>> ends = new ArrayList<>();
        names.forEach(n -> ends.add(new ArrayList<>()));
        List<String> links = new ArrayList<>();
        int linkCount = nodeCount < 2 ? 0 : r.nextInt(nodeCount * 2);
        for (int l = 0; l < linkCount; l++) {
            int a = r.nextInt(nodeCount);
            int b = r.nextInt(nodeCount);
            if (a == b) {
                continue;
            }
            String ia = "e" + l + "a";
            String ib = "e" + l + "b";
            String pa = "10." + l + ".0.1";
            String pb = "10." + l + ".0.2";
            ends.get(a).add(new LinkEnd(a, ia, pa, pb, l));
            ends.get(b).add(new LinkEnd(b, ib, pb, pa, l));
            links.add("link " + names.get(a) + ":" + ia + " -- " + names.get(b) + ":" + ib
                    + (r.nextInt(4) == 0 ? " { mtu " + (1280 + r.nextInt(8000)) + " }" : ""));
        }
        if (r.nextBoolean()) {
            word("topology");
            word("gen-" + r.nextInt(1000));
            newline();
        }
        for (int i = 0; i < nodeCount; i++) {
            node(i, names, ends.get(i));
        }
        for (String l : links) {
            comment();
            line(l);
        }
        for (int k = 0; k < r.nextInt(4) && nodeCount > 1; k++) {
            String from = names.get(r.nextInt(nodeCount));
            String to = names.get(r.nextInt(nodeCount));
            String proto = pick("", "icmp", "tcp " + (1 + r.nextInt(65535)), "udp 53");
            line("expect " + from + " -> " + to + " " + proto + " " + pick("reach", "noreach")
                    + (r.nextBoolean() ? " via " + names.get(r.nextInt(nodeCount)) : "")
                    + (r.nextInt(3) == 0 ? " lands " + to : ""));
        }
        return out.toString();
    }

    private void node(int i, List<String> names, List<LinkEnd> myEnds) {
        comment();
        word("node");
        word(names.get(i));
        word(pick("", "", "netns", "external"));
        word("{");
        if (r.nextBoolean()) {
            word("forwarding");
        }
        List<LinkEnd> declared = new ArrayList<>();
        for (LinkEnd e : myEnds) {
            if (r.nextInt(5) == 0) {
                continue; // links create undeclared ends as veths
            }
            declared.add(e);
            word("iface");
            word(e.iface());
            word("{");
            word("address");
            word(e.address() + "/24");
            if (r.nextInt(4) == 0) {
                word("mtu");
                word(Integer.toString(1280 + r.nextInt(8000)));
            }
            if (r.nextInt(5) == 0) {
                word("mac");
                word(String.format("02:00:00:%02x:%02x:%02x", i, e.link() % 256, r.nextInt(256)));
            }
            word("}");
            newline();
        }
        if (r.nextBoolean()) {
            word("bridge");
            word("br" + i);
            word("{");
            word("address");
            word("172.16." + i + ".1/24");
            if (r.nextBoolean()) {
                word("stp");
            }
            word("}");
            newline();
        }
        if (!myEnds.isEmpty() && r.nextBoolean()) {
            LinkEnd e = myEnds.get(0);
            line("vxlan vx" + i + " vni " + r.nextInt(16_777_216) + " local " + e.address() + " remote "
                    + e.peerAddress() + (r.nextBoolean() ? " dev " + e.iface() : "") + (r.nextBoolean() ? " port 4790" : "")
                    + " { address 192.168." + i + ".1/24 }");
        }
        if (!myEnds.isEmpty() && r.nextBoolean()) {
            LinkEnd e = myEnds.get(r.nextInt(myEnds.size()));
            line("macvlan mv" + i + " parent " + e.iface() + " mode " + pick("bridge", "vepa", "private", "passthru")
                    + " { address 100.64." + i + ".1/24 }");
        }
        if (!myEnds.isEmpty() && r.nextBoolean()) {
            LinkEnd e = myEnds.get(r.nextInt(myEnds.size()));
            line("vlan vl" + i + " parent " + e.iface() + " id " + (1 + r.nextInt(4094)) + " { address 100.65." + i + ".1/24 }");
        }
        if (!myEnds.isEmpty() && r.nextBoolean()) {
            LinkEnd e = myEnds.get(r.nextInt(myEnds.size()));
            line("ipvlan iv" + i + " parent " + e.iface() + " mode " + pick("l2", "l3", "l3s")
                    + (r.nextBoolean() ? " flag " + pick("bridge", "private", "vepa") : "") + " { address 100.66." + i + ".1/24 }");
        }
        if (r.nextBoolean()) {
            line("iface t" + i + " " + pick("tun", "tap", "dummy") + " { mtu " + (1280 + r.nextInt(100)) + " }");
        }
        // routes only through ends with an address: a gateway on no connected subnet is refused (E0851)
        if (!declared.isEmpty()) {
            LinkEnd e = declared.get(r.nextInt(declared.size()));
            line("route 198.18." + i + ".0/24 via " + e.peerAddress() + (r.nextBoolean() ? " dev " + e.iface() : "")
                    + (r.nextBoolean() ? " metric " + r.nextInt(1000) : "")
                    + (r.nextBoolean() ? " table " + (1 + r.nextInt(200)) : ""));
            if (r.nextBoolean()) {
                line("route default via " + e.peerAddress());
            }
            if (r.nextBoolean()) {
                line("nat masquerade from 10." + e.link() + ".0.0/24 out " + (r.nextBoolean() ? "!" : "") + e.iface());
            }
            if (r.nextBoolean()) {
                line("nat dnat tcp port " + (1024 + r.nextInt(60000)) + " to " + e.peerAddress() + ":80");
            }
        }
        if (r.nextBoolean()) {
            line("route " + pick("blackhole", "unreachable", "prohibit") + " 203.0.113." + (i * 16) + "/28");
        }
        if (r.nextBoolean()) {
            line("rule priority " + (100 + i) + " from 10." + i + ".0.0/16 lookup " + (1 + r.nextInt(250)));
        }
        if (r.nextBoolean()) {
            word("firewall");
            word(pick("input", "forward", "output"));
            word("policy");
            word(pick("accept", "drop"));
            word("{");
            word("accept in lo");
            word("accept state established,related");
            if (r.nextBoolean()) {
                word("accept proto tcp dport 22 from 203.0.113.50");
            }
            if (r.nextBoolean()) {
                word("reject proto udp dport 1000-2000");
            }
            word("}");
            newline();
        }
        if (r.nextBoolean()) {
            line("sysctl net.ipv4.conf.all.rp_filter " + r.nextInt(3));
        }
        word("}");
        newline();
    }

    private String pick(String... choices) {
        return choices[r.nextInt(choices.length)];
    }

    private void word(String w) {
        if (w.isEmpty()) {
            return;
        }
        if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
            out.append(pick(" ", " ", "  ", "\t", "\n  "));
        }
        out.append(w);
    }

    private void line(String text) {
        word(text);
        newline();
    }

    private void newline() {
        if (r.nextInt(6) == 0) {
            out.append(pick("  # note", " // why"));
        }
        out.append('\n');
    }

    private void comment() {
        if (r.nextInt(3) == 0) {
            out.append(pick("# ", "// ")).append("comment ").append(r.nextInt(100)).append('\n');
        }
    }
}
