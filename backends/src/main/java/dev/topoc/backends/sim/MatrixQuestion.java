package dev.topoc.backends.sim;

import dev.topoc.compiler.model.Proto;
import dev.topoc.compiler.model.Target;
import java.util.ArrayList;
import java.util.List;

/**
 * Every node pinging every other node's first address (ICMP), as {@code simulate --matrix} shows it. One
 * walk per pair of equivalence classes of hosts ({@link HostClasses}), not per pair of nodes, so the
 * 1,000-host star takes four walks; and where no two nodes are alike, each walk runs over routes and ARP
 * answers memoised per destination ({@link PlainWalk}), so a 1,023-router tree costs about as much as the star.
 */
public final class MatrixQuestion implements Question<Matrix> {
    private final boolean byClass;
    private final Integer family;

    public MatrixQuestion() {
        this(true, null);
    }

    /**
     * Each node's first address of {@code family} (4 or 6, as {@code expect … v4|v6}; null: its first IPv4 address,
     * else its first IPv6 one); a node without one is a column nobody reaches (its address {@code -}).
     */
    public MatrixQuestion(Integer family) {
        this(true, family);
    }

    /** {@code byClass} false: one walk per pair (what the classes must agree with). */
    MatrixQuestion(boolean byClass, Integer family) {
        this.byClass = byClass;
        this.family = family;
    }

    @Override
    public Matrix answer(DataPlane plane) {
        List<NodeState> all = plane.nodeStates();
        int n = all.size();
        Addr[] addr = new Addr[n];
        List<String> names = new ArrayList<>(n);
        List<String> addrs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            addr[i] = plane.targetAddr(new Target(all.get(i).name, null, null), family);
            names.add(all.get(i).name);
            addrs.add(addr[i] == null ? "-" : addr[i].toString());
        }
        boolean[][] reach = new boolean[n][n];
        List<List<Integer>> classes = byClass ? HostClasses.of(plane, all) : singletons(n);
        PlainWalk plain = byClass ? new PlainWalk(plane, all) : null;
        for (List<Integer> ci : classes) {
            for (List<Integer> cj : classes) {
                int a = ci.get(0);
                int b = ci == cj ? (ci.size() > 1 ? ci.get(1) : -1) : cj.get(0);
                if (b < 0 || addr[b] == null) {
                    continue;
                }
                Boolean fast = plain == null ? null : plain.reaches(all.get(a), addr[b]);
                boolean r = fast != null ? fast
                        : PingQuestion.walk(plane, all.get(a), names.get(b), addr[b], Proto.ICMP, null, false).reaches();
                if (!r) {
                    continue;
                }
                for (int i : ci) {
                    for (int j : cj) {
                        reach[i][j] = i != j;
                    }
                }
            }
        }
        return new Matrix(names, addrs, reach);
    }

    private static List<List<Integer>> singletons(int n) {
        List<List<Integer>> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(List.of(i));
        }
        return l;
    }
}
