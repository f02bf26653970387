package dev.topoc.compiler.diag;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Every registered diagnostic code: the compiler's {@link Code} in declaration order, then each {@link CodeSet}
 * found on the class path, ordered by its lowest id (so the list, and the SARIF rule indexes taken from it, do
 * not depend on the class path order). Ids must be unique across sets (a test checks it).
 */
public final class Codes {
    private static volatile List<DiagnosticCode> all;
    private static volatile Map<DiagnosticCode, Integer> index;

    private Codes() {}

    public static List<DiagnosticCode> all() {
        List<DiagnosticCode> a = all;
        if (a == null) {
            synchronized (Codes.class) {
                if (all == null) {
                    List<DiagnosticCode> out = new ArrayList<>(List.of(Code.values()));
                    List<List<? extends DiagnosticCode>> sets = new ArrayList<>();
                    for (CodeSet s : ServiceLoader.load(CodeSet.class, Codes.class.getClassLoader())) {
                        if (!s.codes().isEmpty()) {
                            sets.add(s.codes());
                        }
                    }
                    sets.sort(Comparator.comparing(s -> s.stream().map(DiagnosticCode::id).min(String::compareTo)
                            .orElse("")));
                    sets.forEach(out::addAll);
                    Map<DiagnosticCode, Integer> ix = new IdentityHashMap<>();
                    for (int k = 0; k < out.size(); k++) {
                        ix.put(out.get(k), k);
                    }
                    index = ix;
                    all = Collections.unmodifiableList(out);
                }
                a = all;
            }
        }
        return a;
    }

    /** The position of {@code c} in {@link #all()} (its SARIF rule index), or -1 when it is not registered. */
    public static int indexOf(DiagnosticCode c) {
        all();
        return index.getOrDefault(c, -1);
    }
}
