package dev.topoc.compiler;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates valid DSL topologies for property tests: nodes joined by links with unique /24s, bridges,
 * VXLAN, macvlan, routes, rules, NAT, firewall, sysctl, listen, run, expectations and comments, laid out with
 * random whitespace. Valid by construction: every reference points at something that exists and every
 * address is unique, so the compiler must report no error for any of them.
 */
public final class TopologyGen {
    private final Random r;
    private final StringBuilder out = new StringBuilder();

    private TopologyGen(Random r) {
        this.r = r;
    }

    public static String generate(Random random) {
        return new TopologyGen(random).build();
    }

    /**
     * One end of a link; {@code declared}: written as an {@code iface} with its address (an undeclared end
     * is created by the link, as a veth without address).
     */
    private record LinkEnd(int node, String iface, String address, String peerAddress, int link, int peer,
            boolean declared, boolean peerDeclared) {}

    private boolean[] forwarding;
    /** Per link index, its MTU (1500 unless the link sets one); an interface that sets an MTU takes its link's. */
    private final java.util.Map<Integer, Integer> linkMtu = new java.util.HashMap<>();
    private String[] kinds;
    /** Per node, the tcp port it listens on (0: none) and whether it listens on udp 53. */
    private int[] tcpPort;
    private boolean[] udp53;

    private String build() {
        int nodeCount = 1 + r.nextInt(6);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < nodeCount; i++) {
            names.add(pick("n", "host", "router", "ns", "web", "db-", "x.y") + i);
        }
        List<List<LinkEnd>> ends = new ArrayList<>();
        names.forEach(n -> ends.add(new ArrayList<>()));
        forwarding = new boolean[nodeCount];
        kinds = new String[nodeCount];
        tcpPort = new int[nodeCount];
        udp53 = new boolean[nodeCount];
        for (int i = 0; i < nodeCount; i++) {
            forwarding[i] = r.nextBoolean();
            kinds[i] = pick("", "", "netns", "external");
            tcpPort[i] = pick(0, 80, 80, 1 + r.nextInt(1000));
            udp53[i] = r.nextBoolean();
        }
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
            boolean da = r.nextInt(5) != 0;
            boolean db = r.nextInt(5) != 0;
            ends.get(a).add(new LinkEnd(a, ia, pa, pb, l, b, da, db));
            ends.get(b).add(new LinkEnd(b, ib, pb, pa, l, a, db, da));
            int mtu = r.nextInt(4) == 0 ? 1280 + r.nextInt(8000) : 1500;
            linkMtu.put(l, mtu);
            links.add("link " + names.get(a) + ":" + ia + " -- " + names.get(b) + ":" + ib
                    + (mtu != 1500 ? " { mtu " + mtu + " }" : ""));
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
            int t = names.indexOf(to);
            String proto = pick("", "icmp", "tcp " + (tcpPort[t] > 0 ? tcpPort[t] : 1 + r.nextInt(65535)), "udp 53");
            // a tcp/udp expect to a port where nothing listens can only be noreach (W0700)
            boolean listens = proto.startsWith("tcp") ? tcpPort[t] > 0 : !proto.startsWith("udp") || udp53[t];
            line("expect " + from + " -> " + to + " " + proto + " " + (listens ? pick("reach", "noreach") : "noreach")
                    + (r.nextBoolean() ? " via " + names.get(r.nextInt(nodeCount)) : "")
                    + (r.nextInt(3) == 0 ? " lands " + to : ""));
        }
        return out.toString();
    }

    private void node(int i, List<String> names, List<LinkEnd> myEnds) {
        comment();
        word("node");
        word(names.get(i));
        word(kinds[i]);
        word("{");
        if (forwarding[i]) {
            word("forwarding");
        }
        for (LinkEnd e : myEnds) {
            if (!e.declared()) {
                continue; // links create undeclared ends as veths
            }
            word("iface");
            word(e.iface());
            word("{");
            word("address");
            word(e.address() + "/24");
            if (r.nextInt(4) == 0) {
                word("mtu"); // the link's MTU: two ends that differ are W0501
                word(Integer.toString(linkMtu.get(e.link())));
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
        List<LinkEnd> declared = myEnds.stream().filter(LinkEnd::declared).toList();
        if (!declared.isEmpty() && r.nextBoolean()) {
            LinkEnd e = declared.get(0); // a VXLAN's local is an address of its node
            line("vxlan vx" + i + " vni " + r.nextInt(16_777_216) + " local " + e.address() + " remote "
                    + e.peerAddress() + (r.nextBoolean() ? " dev " + e.iface() : "") + (r.nextBoolean() ? " port 4790" : "")
                    + " { address 192.168." + i + ".1/24 }");
        }
        // gateways: on a connected subnet, towards a lower-numbered node (so no routing loop) that forwards
        List<LinkEnd> gateways = declared.stream().filter(e -> e.peer() < i
                && (forwarding[e.peer()] || kinds[e.peer()].equals("external") || !e.peerDeclared())).toList();
        String table = "main";
        if (!gateways.isEmpty()) {
            LinkEnd e = gateways.get(r.nextInt(gateways.size()));
            table = r.nextBoolean() ? Integer.toString(1 + r.nextInt(200)) : "main";
            line("route 198.18." + i + ".0/24 via " + e.peerAddress() + (r.nextBoolean() ? " dev " + e.iface() : "")
                    + (r.nextBoolean() ? " metric " + r.nextInt(1000) : "")
                    + (table.equals("main") ? "" : " table " + table));
            if (r.nextBoolean()) {
                line("route default via " + e.peerAddress());
            }
        }
        boolean forwards = forwarding[i] || kinds[i].equals("external");
        if (!myEnds.isEmpty() && forwards) {
            LinkEnd e = myEnds.get(r.nextInt(myEnds.size()));
            if (r.nextBoolean()) {
                line("nat masquerade from 10." + e.link() + ".0.0/24 out " + (r.nextBoolean() ? "!" : "") + e.iface());
            }
            if (e.peerDeclared() && tcpPort[e.peer()] == 80 && r.nextBoolean()) { // W0602 otherwise
                line("nat dnat tcp port " + (1024 + r.nextInt(60000)) + " to " + e.peerAddress() + ":80");
            }
        }
        if (r.nextBoolean()) {
            line("route " + pick("blackhole", "unreachable", "prohibit") + " 203.0.113." + (i * 16) + "/28");
        }
        if (r.nextBoolean()) {
            line("rule priority " + (100 + i) + " from 10." + i + ".0.0/16 lookup " + table);
        }
        if (r.nextBoolean()) {
            word("firewall");
            word(forwards ? pick("input", "forward", "output") : pick("input", "output"));
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
        workloads(i, declared);
        word("}");
        newline();
    }

    /** Listens on distinct ports (so never a duplicate), one maybe bound to an own address, and runs. */
    private void workloads(int i, List<LinkEnd> declared) {
        if (tcpPort[i] > 0) {
            line("listen tcp " + tcpPort[i]);
        }
        if (r.nextBoolean()) {
            line("listen tcp " + (2000 + r.nextInt(100)) + "-" + (2100 + r.nextInt(100)));
        }
        if (udp53[i]) {
            line("listen udp 53" + (!declared.isEmpty() && r.nextBoolean() ? " on " + declared.get(0).address() : ""));
        }
        if (r.nextInt(3) == 0) {
            line("run " + pick("\"python3 -m http.server 80\"", "\"sh -c 'echo \\\"hi\\\" >/tmp/x; sleep 1000'\"",
                    "\"socat UDP-LISTEN:53,fork EXEC:cat\""));
        }
        if (r.nextInt(4) == 0) {
            line("run \"sleep " + (1 + r.nextInt(1000)) + "\"");
        }
    }

    private String pick(String... choices) {
        return choices[r.nextInt(choices.length)];
    }

    private int pick(int... choices) {
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
