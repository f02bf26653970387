package dev.topoc.backends.networkd;

import dev.topoc.compiler.diag.CodeInfo;
import dev.topoc.compiler.diag.CodeSet;
import dev.topoc.compiler.diag.OwnCode;
import dev.topoc.compiler.diag.Severity;
import java.util.List;

/**
 * The networkd backend's codes (E085x): a valid topology systemd-networkd units cannot express. Each fixes its
 * severity and carries its wording. Registered through {@link Set} (META-INF/services); documented in
 * docs/diagnostics.md.
 */
public enum NetworkdCode implements OwnCode {
    NETWORKD_FOREIGN_PARENT("E0850", Severity.ERROR, "networkd cannot create a sub-interface on another node",
            "{0} {1}:{2} has its parent {3} on another node; networkd creates a {0} in its parent's namespace and "
            + "cannot move it into {1} (put the {0} on node {4}, or use the bash backend)", null),
    NETWORKD_ROUTE_WITHOUT_LINK("E0851", Severity.ERROR, "networkd cannot attach the route to a link",
            "route to {0} via {1}: no interface of node {2} has an address in the gateway's subnet, and networkd "
            + "configures every route on one link", "add `dev IF`"),
    NETWORKD_UNCABLED_IN_SANDBOX("E0852", Severity.ERROR, "link end without a cable in a networkd sandbox",
            "{0} {1} is on no link: networkd only configures links that exist, and in a sandbox only links are "
            + "created", "add `link {1} -- NODE:IF`"),
    NETWORKD_BAD_PREFIX("E0853", Severity.ERROR, "namespace prefix not usable",
            "prefix `{0}` cannot start a namespace name: use up to 32 of A-Z a-z 0-9 _ . -, starting with a "
            + "letter or digit", null),
    /** {0}: the topology, {1}: the number of machines, {2}: their names. */
    NETWORKD_MACHINES("E0854", Severity.ERROR, "networkd trees of a topology over several machines are not stitched",
            "topology `{0}` places its nodes on {1} machines ({2}): the networkd backend does not stitch links that "
            + "cross machines",
            "compile with `--target ansible -o DIR` (it deploys each machine's apply.sh), or with `--target bash "
            + "--sandbox` to try the stitched whole on this host");

    private final CodeInfo info;

    NetworkdCode(String id, Severity severity, String title, String text, String hint) {
        this.info = new CodeInfo(id, severity, title, text, hint);
    }

    @Override
    public CodeInfo info() {
        return info;
    }

    /** The {@link CodeSet} provider for these codes. */
    public static final class Set implements CodeSet {
        @Override
        public List<NetworkdCode> codes() {
            return List.of(values());
        }
    }
}
