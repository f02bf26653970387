package dev.topoc.cli;

import dev.topoc.backends.Artifacts;
import dev.topoc.backends.BackendOptions;
import dev.topoc.backends.ansible.AnsibleBackend;
import dev.topoc.backends.ansible.MachineTarget;
import dev.topoc.compiler.Compilation;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.live.exec.MachineLab;
import dev.topoc.live.lab.LabStore;
import java.io.PrintWriter;
import java.util.List;

/**
 * {@code plan} and {@code up} of a topology with machines: the file compiled with {@code --target ansible} (the
 * parts of {@link MachineParts}, what {@code compile} writes), handed to {@link MachineLab}, which runs its playbook.
 */
final class MachineLive {
    private MachineLive() {}

    /** The machines' parts and the playbook's files. */
    record Deployment(List<MachineTarget> parts, Artifacts artifacts) {}

    /** The deployment of {@code c}, or null after printing the backend's errors (exit 1). */
    static Deployment compile(Compilation c, LiveOptions live, CommonOptions common, PrintWriter err) {
        MachineParts.Split split = MachineParts.of(c.model());
        Diagnostics d = new Diagnostics();
        Artifacts a = new AnsibleBackend().generate(c.model().name(), split.parts(), new BackendOptions(live.prefix, live.sandbox),
                AnsibleBackend.Via.BASH, d);
        common.report(c, d, err);
        return d.hasErrors() ? null : new Deployment(split.parts(), a);
    }

    static MachineLab lab(PrintWriter err) {
        return new MachineLab(LabStore.system(), line -> {
            err.println(line);
            err.flush();
        });
    }
}
