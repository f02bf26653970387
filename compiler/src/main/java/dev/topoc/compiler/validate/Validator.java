package dev.topoc.compiler.validate;

import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.Topology;
import java.util.List;

/**
 * Validation: small named rules over the resolved model, each adding diagnostics; nothing throws.
 * Rules see a consistent model (the resolver's errors gate them), so they may follow references freely.
 * The look-ups several rules share ({@link Facts}: address owners, L2 domains) are built once, by hashing,
 * so validation stays near-linear in the size of the topology.
 */
public final class Validator {
    /** One check over the model. */
    interface Rule {
        void check(Facts facts, Diagnostics diagnostics);
    }

    private static final List<Rule> RULES = List.of(
            // addresses
            new AddressRules(),
            new OverlappingSubnetsRule(),
            new SameSubnetOnNodeRule(),
            new FamilyMixRule(),
            // routing
            new GatewayConnectedRule(),
            new RouteDevRule(),
            new RoutingLoopRule(),
            new GatewayForwardingRule(),
            new RuleTableRule(),
            // L2
            new L2LoopRule(),
            new VlanIdRule(),
            new VxlanLocalRule(),
            new VxlanDuplicateRule(),
            new MacvlanPassthruRule(),
            new ParentBridgePortRule(),
            new BridgePortAddressRule(),
            new BridgePortsRule(),
            new MtuRule(),
            // NAT and firewall
            new DnatTargetRule(),
            new NatForwardingRule(),
            new WorkloadRule(),
            // machines
            new MachineRule(),

            // what the simulator models
            new SysctlModelledRule());

    private Validator() {}

    /** Per rule (by class name), the nanoseconds it took; for benchmarks. */
    static java.util.Map<String, Long> timed(Topology topology, Diagnostics diagnostics) {
        java.util.Map<String, Long> times = new java.util.LinkedHashMap<>();
        long t = System.nanoTime();
        Facts facts = new Facts(topology);
        times.put("Facts", System.nanoTime() - t);
        for (Rule r : RULES) {
            t = System.nanoTime();
            r.check(facts, diagnostics);
            times.put(r.getClass().getSimpleName(), System.nanoTime() - t);
        }
        return times;
    }

    public static void validate(Topology topology, Diagnostics diagnostics) {
        Facts facts = new Facts(topology);
        for (Rule r : RULES) {
            r.check(facts, diagnostics);
        }
    }
}
