package dev.topoc.backends.bash;

import dev.topoc.backends.Artifacts;
import dev.topoc.backends.Backend;
import dev.topoc.backends.BackendOptions;
import dev.topoc.backends.template.Templates;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.Topology;
import org.stringtemplate.v4.STGroup;

/**
 * The bash backend: {@code apply.sh} and {@code destroy.sh}, provisioning scripts for a machine with
 * iproute2 (and nftables when NAT or a firewall is used).
 *
 * <p>Design: {@link PlanBuilder} turns the model into a {@link Plan} of numbered, reversible steps (one
 * creating every namespace, then one per node, parents of sub-interfaces first); each node's work is one
 * {@code ip -batch} in its namespace, followed by sysctl and one atomic {@code nft -f}. {@code bash.stg}
 * lays the plan out around fixed helpers that make the scripts idempotent (done and started markers
 * under {@code /run/topoc/PREFIX+TOPOLOGY}), roll a failed run back (ERR trap, each step's undo), and
 * record what they own so that {@code destroy.sh} removes exactly that.
 */
public final class BashBackend implements Backend {
    private static final STGroup GROUP = Templates.load("/dev/topoc/backends/bash/bash.stg");

    @Override
    public Artifacts generate(Topology model, BackendOptions options, Diagnostics diagnostics) {
        int errorsBefore = diagnostics.errorCount();
        Plan plan = new PlanBuilder(model, options, diagnostics).build();
        Artifacts artifacts = new Artifacts();
        if (diagnostics.errorCount() > errorsBefore) {
            return artifacts;
        }
        artifacts.add("apply.sh", Templates.render(GROUP, "apply", "p", plan), true);
        artifacts.add("destroy.sh", Templates.render(GROUP, "destroy", "p", plan), true);
        return artifacts;
    }

}
