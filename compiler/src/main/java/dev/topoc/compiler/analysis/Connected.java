package dev.topoc.compiler.analysis;

import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.Interface;
import dev.topoc.compiler.model.Node;
import dev.topoc.compiler.model.Route;
import dev.topoc.compiler.model.RouteType;
import inet.ipaddr.IPAddress;

/**
 * The connected subnets of a node as the model writes them: where it reaches a gateway on-link (the
 * subnets of its addresses, and routes with a device but no gateway). Up or down does not matter here;
 * the simulator, which knows which devices are up, applies that on top.
 */
public final class Connected {
    private Connected() {}

    /** The interface of {@code n} whose subnet holds {@code gateway} (null if none). */
    public static Interface subnetOf(Node n, IPAddress gateway) {
        for (Interface i : n.interfaces()) {
            if (carries(i, gateway)) {
                return i;
            }
        }
        return null;
    }

    public static boolean carries(Interface i, IPAddress gateway) {
        for (Cidr c : i.addresses()) {
            if (c.isIpv4() == gateway.isIPv4() && c.contains(gateway)) {
                return true;
            }
        }
        return false;
    }

    /** A device route ({@code route X dev D}, no gateway) of {@code n} that holds {@code gateway}, or null. */
    public static Route deviceRouteTo(Node n, IPAddress gateway) {
        for (Route r : n.routes()) {
            if (isDeviceRouteTo(r, gateway)) {
                return r;
            }
        }
        return null;
    }

    /** Whether {@code r} is a device route ({@code route X dev D}, no gateway) whose destination holds {@code gateway}. */
    public static boolean isDeviceRouteTo(Route r, IPAddress gateway) {
        return r.type() == RouteType.UNICAST && r.via() == null && r.dev() != null
                && r.to().isIpv4() == gateway.isIPv4() && r.to().contains(gateway);
    }

    /** IPv6 link-local gateways ({@code fe80::/10}) are on-link on every interface. */
    public static boolean alwaysOnLink(IPAddress gateway) {
        return gateway.isLinkLocal();
    }
}
