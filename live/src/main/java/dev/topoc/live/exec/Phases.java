package dev.topoc.live.exec;

/**
 * Per-phase timers for the benchmarks (bench/README.md): with {@code -Dtopoc.phases=true}, each {@link #mark} prints
 * to standard error the phase that just ended, the wall time since the previous mark and the CPU time of this JVM
 * since then (not of its children). Off by default: nothing is printed or loaded.
 */
public final class Phases {
    private Phases() {}

    private static final boolean ON = Boolean.getBoolean("topoc.phases");
    private static long wall = System.nanoTime();
    private static long cpu = ON ? cpu() : 0;

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The phase {@code name} ended now. */
    public static synchronized void mark(String name) {
        if (!ON) {
            return;
        }
        long w = System.nanoTime();
        long c = cpu();
        System.err.printf(java.util.Locale.ROOT, "topoc: phase %-24s wall %6.3f s  jvm cpu %6.3f s  (jvm cpu since start %6.3f s)%n",
                name, (w - wall) / 1e9, (c - cpu) / 1e9, c / 1e9);
        wall = w;
        cpu = c;
    }
}
