package dev.topoc.compiler.resolve;

import dev.topoc.compiler.ast.Lit;
import dev.topoc.compiler.diag.Code;
import dev.topoc.compiler.diag.Diagnostics;
import dev.topoc.compiler.model.Cidr;
import dev.topoc.compiler.model.IfRef;
import inet.ipaddr.IPAddress;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Allocates {@code address auto}: each L2 domain hands out the lowest free host addresses of its
 * subnet, in model order, skipping addresses written explicitly anywhere in the domain (and, for IPv4,
 * the network and broadcast addresses). Same file, same addresses.
 */
final class AddressAllocator {
    /** An interface of a domain: its explicit addresses (auto ones are appended here) and its `auto` requests. */
    record Member(List<Cidr> addresses, List<Lit> autos, IfRef ref, Object owner) {}

    record Domain(List<Member> members) {}

    record Pool(Cidr subnet, Lit where) {}

    private final Diagnostics diagnostics;

    AddressAllocator(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    void allocate(List<Domain> domains, Function<Domain, Optional<Pool>> poolOf) {
        for (Domain d : domains) {
            if (d.members().stream().noneMatch(m -> !m.autos().isEmpty())) {
                continue;
            }
            Optional<Pool> pool = poolOf.apply(d);
            if (pool.isEmpty()) {
                for (Member m : d.members()) {
                    for (Lit a : m.autos()) {
                        diagnostics.report(Code.NO_SUBNET, a.span(), m.ref());
                    }
                }
                continue;
            }
            allocate(d, pool.get());
        }
    }

    private void allocate(Domain d, Pool pool) {
        Cidr subnet = pool.subnet();
        IPAddress base = subnet.network().getLower().withoutPrefixLength();
        BigInteger size = BigInteger.ONE.shiftLeft(base.getBitCount() - subnet.prefixLength());
        boolean v4Classic = base.isIPv4() && subnet.prefixLength() <= 30;
        BigInteger first = v4Classic || base.isIPv6() && subnet.prefixLength() < 127 ? BigInteger.ONE : BigInteger.ZERO;
        BigInteger end = v4Classic ? size.subtract(BigInteger.ONE) : size; // exclusive
        Set<BigInteger> used = new HashSet<>();
        BigInteger baseValue = base.getValue();
        for (Member m : d.members()) {
            for (Cidr c : m.addresses()) {
                if (subnet.contains(c.address())) {
                    used.add(c.address().getValue().subtract(baseValue));
                }
            }
        }
        BigInteger next = first;
        for (Member m : d.members()) {
            for (Lit a : m.autos()) {
                while (next.compareTo(end) < 0 && used.contains(next)) {
                    next = next.add(BigInteger.ONE);
                }
                if (next.compareTo(end) >= 0) {
                    diagnostics.report(Code.POOL_EXHAUSTED, a.span(), subnet, m.ref());
                    continue;
                }
                IPAddress addr = base.increment(next.longValueExact());
                m.addresses().add(new Cidr(addr, subnet.prefixLength()));
                used.add(next);
                next = next.add(BigInteger.ONE);
            }
        }
    }
}
