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
    /** The line of apply.sh that {@link #generate} fills with the hash of the rest of the script. */
    private static final String PLAN_HASH_SLOT = "PLAN_HASH=unset";

    /** The words after {@code ip route replace} for a route, as apply.sh writes them (the Ansible sandbox's external nodes). */
    public static String routeArgs(dev.topoc.compiler.model.Route r) {
        return PlanBuilder.routeArgs(r).trim();
    }

    @Override
    public Artifacts generate(Topology model, BackendOptions options, Diagnostics diagnostics) {
        if (!options.sandbox() && model.machines().size() > 1) {
            // outside a sandbox one script is one machine's part (the Ansible backend compiles each part alone)
            diagnostics.report(BashCode.BASH_MACHINES, model.machines().get(0).span(), model.name(),
                    model.machines().size(), String.join(", ", model.machines().stream().map(m -> m.name()).toList()));
            return new Artifacts();
        }
        if (options.sandbox() && !model.machines().isEmpty()) {
            // a sandbox of a topology over machines is the stitched whole on this host: the machines' default
            // namespaces become namespaces too, joined by the underlay switch, with the real tunnels (docs/machines.md)
            model = dev.topoc.compiler.machines.Stitching.of(model).whole();
        }
        int errorsBefore = diagnostics.errorCount();
        Plan plan = new PlanBuilder(model, options, diagnostics).build();
        Artifacts artifacts = new Artifacts();
        if (plan == null || diagnostics.errorCount() > errorsBefore) {
            return artifacts;
        }
        // the record keeps this hash: apply.sh of another version of the file refuses to run over the lab
        String unhashed = Templates.render(GROUP, "apply", "p", plan);
        int slot = unhashed.indexOf(PLAN_HASH_SLOT);
        String apply = unhashed.substring(0, slot) + "PLAN_HASH=" + sha256(unhashed) + unhashed.substring(slot + PLAN_HASH_SLOT.length());
        artifacts.add("apply.sh", apply, true);
        artifacts.add("destroy.sh", Templates.render(GROUP, "destroy", "p", plan), true);
        return artifacts;
    }

    private static String sha256(String text) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
