package dev.topoc.backends.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.backends.graph.Graph.Box;
import dev.topoc.backends.graph.Graph.Domain;
import dev.topoc.backends.graph.Graph.Edge;
import dev.topoc.backends.graph.Graph.EdgeKind;
import dev.topoc.backends.graph.Graph.Port;
import dev.topoc.compiler.model.Topology;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What the drawing contains: boxes, bridges, L2 domains, collapsed groups, the highlighted path. */
class GraphBuilderTest {
    /** nginx's ping to 192.0.2.53 without masquerade: it gets out, the reply has no way back. */
    static final TracePath NO_NAT_PATH = new TracePath("nginx → 192.0.2.53", List.of(
            new TracePath.Hop("nginx", "eth0"), new TracePath.Hop("docker", "veth-nginx"),
            new TracePath.Hop("docker", "docker0"), new TracePath.Hop("docker", "ens41"),
            new TracePath.Hop("upstream", "eth0")),
            new TracePath.Drop("upstream", "no route back to 172.17.10.10 (no masquerade)"));

    private static Box box(Graph g, String id) {
        return g.boxes().stream().filter(b -> b.id().equals(id)).findFirst().orElseThrow();
    }

    private static Stream<Port> ports(Box b) {
        return Stream.concat(b.ports().stream(), b.bridges().stream().flatMap(br -> Stream.concat(Stream.of(br.self()), br.ports().stream())));
    }

    @Test
    void dockerBridgeBoxesBridgesAndDomains() {
        Graph g = GraphBuilder.build(GraphSupport.sample("docker-bridge"), GraphOptions.DEFAULT);
        assertEquals(List.of("docker", "nginx", "gitlab"), g.inside().stream().map(Box::id).toList());
        assertEquals(List.of("upstream"), g.outside().stream().map(Box::id).toList(), "external nodes drawn apart");
        Box docker = box(g, "docker");
        assertEquals(List.of("netns", "forwarding · nat · firewall"), docker.lines());
        assertEquals(1, docker.bridges().size());
        var br = docker.bridges().get(0);
        assertEquals(List.of("docker0", "bridge", "172.17.0.1/16"), br.self().lines());
        assertEquals(List.of("docker:veth-nginx", "docker:veth-gitlab"), br.ports().stream().map(Port::id).toList(),
                "the bridge's ports are drawn inside it");
        assertEquals(List.of("docker:ens41"), docker.ports().stream().map(Port::id).toList());
        // two L2 domains: the upstream cable, and docker0 with its two ports and the containers' eth0
        assertEquals(2, g.domains().size());
        Domain upstream = g.domains().get(0);
        Domain bridge = g.domains().get(1);
        assertEquals("192.168.54.0/24", upstream.subnets());
        assertEquals(2, upstream.members());
        assertEquals("172.17.0.0/16", bridge.subnets());
        assertEquals(5, bridge.members());
        assertEquals(bridge, box(g, "nginx").ports().get(0).domain());
        assertEquals(bridge, br.domain());
        // lo is drawn only where it has an address of its own
        assertEquals(List.of("upstream:lo", "upstream:eth0"), box(g, "upstream").ports().stream().map(Port::id).toList());
        assertTrue(ports(docker).noneMatch(p -> p.id().equals("docker:lo")));
        assertEquals(3, g.edges().size());
        assertTrue(g.edges().stream().allMatch(e -> e.kind() == EdgeKind.LINK && e.label().isEmpty()));
    }

    @Test
    void linksAreLabelledWithTheirMtuAndStackedInterfacesPointAtTheirParent() {
        Topology t = GraphSupport.model("""
                topology t
                node a {
                  iface eth0 { address 10.0.0.1/24 }
                  vlan eth0.7 parent eth0 id 7 { address 10.7.0.1/24 }
                }
                node b {
                  iface eth0 { address 10.0.0.2/24 }
                  vlan eth0.7 parent eth0 id 7 { address 10.7.0.2/24 }
                }
                link a:eth0 -- b:eth0 mtu 1400
                """);
        Graph g = GraphBuilder.build(t, GraphOptions.DEFAULT);
        Edge link = g.edges().stream().filter(e -> e.kind() == EdgeKind.LINK).findFirst().orElseThrow();
        assertEquals("mtu 1400", link.label());
        assertEquals(2, g.edges().stream().filter(e -> e.kind() == EdgeKind.PARENT).count());
        assertEquals(List.of("L2 1", "L2 2 (VLAN 7)"), g.domains().stream().map(Domain::title).toList());
        assertEquals("10.7.0.0/24", g.domains().get(1).subnets());
        assertEquals(List.of("eth0.7", "vlan 7 on eth0", "10.7.0.1/24"), box(g, "a").ports().get(1).lines());
    }

    @Test
    void vxlanEndpointsAreJoinedByATunnel() {
        Graph g = GraphBuilder.build(GraphSupport.sample("vxlan-overlay"), GraphOptions.DEFAULT);
        Edge tunnel = g.edges().stream().filter(e -> e.kind() == EdgeKind.TUNNEL).findFirst().orElseThrow();
        assertEquals("ns1:vx0", tunnel.from());
        assertEquals("ns2:vx0", tunnel.to());
        assertEquals("vxlan 100", tunnel.label());
        assertEquals("L2 2 (VXLAN 100)", tunnel.domain().title());
        assertEquals("vxlan 100 → 172.16.0.20:4789 dev eth0", box(g, "ns1").ports().get(1).lines().get(1));
    }

    /** Regression: the graph once keyed VXLAN domains by VNI alone and drew these two overlays as one. */
    @Test
    void vxlanOverlaysWithOneVniOnTwoPortsAreTwoDomains() {
        Graph g = GraphBuilder.build(GraphSupport.model("""
                node a {
                  iface eth0 { address 172.16.0.1/24 }
                  vxlan vx0 vni 42 local 172.16.0.1 remote 172.16.0.2 dev eth0 port 4789 { address 10.0.0.1/24 }
                  vxlan vx1 vni 42 local 172.16.0.1 remote 172.16.0.2 dev eth0 port 4790 { address 10.1.0.1/24 }
                }
                node b {
                  iface eth0 { address 172.16.0.2/24 }
                  vxlan vx0 vni 42 local 172.16.0.2 remote 172.16.0.1 dev eth0 port 4789 { address 10.0.0.2/24 }
                  vxlan vx1 vni 42 local 172.16.0.2 remote 172.16.0.1 dev eth0 port 4790 { address 10.1.0.2/24 }
                }
                link a:eth0 -- b:eth0
                """), GraphOptions.DEFAULT);
        List<String> overlays = g.domains().stream().filter(d -> d.title().contains("VXLAN"))
                .map(d -> d.title() + ": " + d.subnets() + ", " + d.members() + " interfaces").toList();
        assertEquals(List.of("L2 2 (VXLAN 42): 10.0.0.0/24, 2 interfaces", "L2 3 (VXLAN 42): 10.1.0.0/24, 2 interfaces"), overlays);
        List<String> tunnels = g.edges().stream().filter(e -> e.kind() == EdgeKind.TUNNEL).map(e -> e.from() + " -- " + e.to()).toList();
        assertEquals(List.of("a:vx0 -- b:vx0", "a:vx1 -- b:vx1"), tunnels, "a tunnel joins only endpoints of one overlay");
    }

    @Test
    void collapseFoldsTheThousandHostsAndTheirSwitchPorts() {
        Graph g = GraphBuilder.build(GraphSupport.sample("star-1000"), new GraphOptions(true, null));
        assertEquals(List.of("sw", "h1"), g.boxes().stream().map(Box::id).toList());
        Box hosts = box(g, "h1");
        assertEquals("h[1..1000]", hosts.title());
        assertEquals(1000, hosts.count());
        // auto addresses: 10.200.0.1 is the bridge's, the hosts get the next 1,000: .0.2 … .3.233
        assertEquals(List.of("eth0", "veth", "10.200.0.2/16 … 10.200.3.233/16"), hosts.ports().get(0).lines());
        var br = box(g, "sw").bridges().get(0);
        assertEquals(1, br.ports().size());
        assertEquals("p[1..1000] ×1000", br.ports().get(0).lines().get(0));
        assertEquals(1, g.edges().size());
        assertEquals("×1000", g.edges().get(0).label());
        assertEquals("10.200.0.0/16", g.domains().get(0).subnets());
        assertEquals(2001, g.domains().get(0).members());
    }

    @Test
    void collapseLeavesSmallGroupsAlone() {
        Graph g = GraphBuilder.build(GraphSupport.sample("docker-bridge"), new GraphOptions(true, null));
        assertEquals(4, g.boxes().size(), "nginx and gitlab are alike, but two are not a group");
        assertTrue(g.boxes().stream().noneMatch(Box::collapsed));
    }

    @Test
    void namesCompressToRanges() {
        assertEquals("h[1..1000]", GraphBuilder.compressNames(List.of("h1", "h2", "h3").size() == 3
                ? java.util.stream.IntStream.rangeClosed(1, 1000).mapToObj(i -> "h" + i).toList() : List.of()));
        assertEquals("web[3..5].lan", GraphBuilder.compressNames(List.of("web3.lan", "web4.lan", "web5.lan")));
        assertEquals("a1, a3, a4", GraphBuilder.compressNames(List.of("a1", "a3", "a4")));
        assertEquals("x, y … z", GraphBuilder.compressNames(List.of("x", "y", "w", "z")));
        assertEquals("h01, h02, h03", GraphBuilder.compressNames(List.of("h01", "h02", "h03")));
    }

    @Test
    void highlightColoursTheCablesInOrderAndShowsTheDrop() {
        Graph g = GraphBuilder.build(GraphSupport.sample("docker-bridge-no-nat"), new GraphOptions(false, NO_NAT_PATH));
        List<Edge> onPath = g.edges().stream().filter(Edge::onPath).toList();
        assertEquals(List.of(1, 2, 3, 4, 5), onPath.stream().map(Edge::step).sorted().toList());
        Edge first = onPath.stream().filter(e -> e.step() == 1).findFirst().orElseThrow();
        assertEquals(EdgeKind.LINK, first.kind());
        assertEquals("nginx:eth0", first.from());
        assertTrue(first.forward());
        // veth-nginx → docker0 → ens41 happen inside docker: drawn as path edges of their own
        Edge inside = onPath.stream().filter(e -> e.step() == 2).findFirst().orElseThrow();
        assertEquals(EdgeKind.PATH, inside.kind());
        assertEquals("docker:veth-nginx", inside.from());
        assertEquals("docker:docker0", inside.to());
        Edge out = onPath.stream().filter(e -> e.step() == 4).findFirst().orElseThrow();
        assertEquals(EdgeKind.LINK, out.kind());
        assertEquals("4", out.label());
        Edge drop = onPath.stream().filter(e -> e.kind() == EdgeKind.DROP).findFirst().orElseThrow();
        assertEquals("upstream:eth0", drop.from());
        assertEquals("upstream#drop", drop.to());
        assertEquals("no route back to 172.17.10.10 (no masquerade)", box(g, "upstream").drop());
        assertNull(box(g, "docker").drop());
        assertTrue(ports(box(g, "docker")).filter(Port::onPath).count() == 3);
        assertTrue(box(g, "gitlab").ports().stream().noneMatch(Port::onPath));
        assertNotNull(g.path());
        assertTrue(DotWriter.write(g).contains("\"upstream#drop\" [label=\"✗ dropped\\nno route back to 172.17.10.10 (no masquerade)\""));
    }

    @Test
    void aCableWalkedBackwardsPointsBackwards() {
        TracePath back = new TracePath("docker → nginx", List.of(new TracePath.Hop("docker", "veth-nginx"),
                new TracePath.Hop("nginx", "eth0"), new TracePath.Hop("nginx", null)), null);
        Graph g = GraphBuilder.build(GraphSupport.sample("docker-bridge"), new GraphOptions(false, back));
        Edge e = g.edges().stream().filter(Edge::onPath).findFirst().orElseThrow();
        assertEquals("nginx:eth0", e.from());
        assertEquals(1, e.step());
        assertTrue(!e.forward());
        assertTrue(g.path().delivered());
        assertTrue(DotWriter.write(g).contains("dir=back"));
    }

    @Test
    void aPathThroughACollapsedGroupLandsOnTheGroup() {
        TracePath p = new TracePath("h1 → h1000", List.of(new TracePath.Hop("h1", "eth0"), new TracePath.Hop("sw", "p1"),
                new TracePath.Hop("sw", "p1000"), new TracePath.Hop("h1000", "eth0")), null);
        Graph g = GraphBuilder.build(GraphSupport.sample("star-1000"), new GraphOptions(true, p));
        // out through the group's one drawn cable, and back in over it: a second red line, sw:p1 → h1:eth0
        List<Edge> onPath = g.edges().stream().filter(Edge::onPath).toList();
        assertEquals(2, onPath.size());
        assertEquals(EdgeKind.LINK, onPath.get(0).kind());
        assertEquals(List.of("sw:p1", "h1:eth0", "2"), List.of(onPath.get(1).from(), onPath.get(1).to(), onPath.get(1).label()));
        assertTrue(box(g, "h1").ports().get(0).onPath());
    }

    @Test
    void aPathNamingUnknownThingsIsRefused() {
        Topology t = GraphSupport.sample("docker-bridge");
        var bad = new TracePath("x", List.of(new TracePath.Hop("nginx", "eth9")), null);
        var e = assertThrows(IllegalArgumentException.class, () -> GraphBuilder.build(t, new GraphOptions(false, bad)));
        assertEquals("the path names interface `nginx:eth9`, which the topology does not have", e.getMessage());
        var bad2 = new TracePath("x", List.of(), new TracePath.Drop("nowhere", "?"));
        assertThrows(IllegalArgumentException.class, () -> GraphBuilder.build(t, new GraphOptions(false, bad2)));
    }

    @Test
    void sameInputGivesByteIdenticalOutput() {
        for (Path sample : GraphSupport.samples()) {
            for (boolean collapse : new boolean[] {false, true}) {
                if (!collapse && sample.getFileName().toString().startsWith("star-1000")) {
                    continue;
                }
                var options = new GraphOptions(collapse, null);
                // two separate compilations, so nothing is shared between the runs
                String dot1 = GraphBackend.dot(GraphSupport.model(sample), options);
                String dot2 = GraphBackend.dot(GraphSupport.model(sample), options);
                assertEquals(dot1, dot2, sample + " dot");
                String mmd1 = GraphBackend.mermaid(GraphSupport.model(sample), options);
                String mmd2 = GraphBackend.mermaid(GraphSupport.model(sample), options);
                assertEquals(mmd1, mmd2, sample + " mermaid");
            }
        }
        Path yaml = GraphSupport.root().resolve("samples/docker-bridge.yaml");
        assertEquals(GraphBackend.dot(GraphSupport.sample("docker-bridge"), GraphOptions.DEFAULT),
                GraphBackend.dot(GraphSupport.model(yaml), GraphOptions.DEFAULT), "both spellings draw the same picture");
    }
}
