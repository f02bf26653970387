package dev.topoc.backends.networkd;

import java.util.List;

/** The view model of a node's {@code sysctl.d} file: {@code key = value} lines in a fixed order. */
public record SysctlFile(String node, List<UnitFile.Entry> entries) {
    public SysctlFile {
        entries = List.copyOf(entries);
    }
}
