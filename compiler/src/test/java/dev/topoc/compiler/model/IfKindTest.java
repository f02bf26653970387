package dev.topoc.compiler.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topoc.compiler.diag.Span;
import java.lang.reflect.RecordComponent;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link IfKind} and the sealed {@link Interface} hierarchy describe the same kinds, one to one. */
class IfKindTest {
    @Test
    void everyRecordHasExactlyOneKindAndBack() {
        Set<Class<?>> permitted = Set.of(Interface.class.getPermittedSubclasses());
        Set<Class<?>> described = new HashSet<>();
        for (IfKind k : IfKind.values()) {
            assertTrue(described.add(k.record()), k + " shares its record with another kind");
        }
        assertEquals(permitted, described);
    }

    @Test
    void eachRecordReportsItsKindAndTheVisitorCallsTheMethodOfTheSameName() throws Exception {
        for (IfKind k : IfKind.values()) {
            Interface i = instance(k.record());
            assertSame(k, i.ifKind());
            assertEquals(k.word(), i.kind());
            String called = i.accept(NAMES);
            assertEquals(k.record().getSimpleName().toLowerCase(java.util.Locale.ROOT), called);
        }
    }

    @Test
    void theVisitorHasOneMethodPerRecord() {
        Set<Class<?>> parameters = new HashSet<>();
        for (java.lang.reflect.Method m : Interface.Cases.class.getDeclaredMethods()) {
            assertEquals(1, m.getParameterCount(), m.getName());
            assertTrue(parameters.add(m.getParameterTypes()[0]), m.getName());
        }
        assertEquals(Set.of(Interface.class.getPermittedSubclasses()), parameters);
    }

    @Test
    void wordsAreUniqueAndFindTheirKind() {
        assertEquals(IfKind.values().length, new HashSet<>(IfKind.words()).size());
        for (IfKind k : IfKind.values()) {
            assertSame(k, IfKind.of(k.word()).orElseThrow());
        }
        assertTrue(IfKind.of("ethernet").isEmpty());
    }

    @Test
    void defaultsAreValuesTheirKeyAccepts() {
        for (IfKind k : IfKind.values()) {
            for (IfKey key : k.keys()) {
                if (key.defaultValue() != null && !key.words().isEmpty()) {
                    assertTrue(key.words().contains(key.defaultValue()), k + "." + key.name());
                }
                if (key.value() == IfKey.Value.FLAG && key.defaultValue() != null) {
                    assertTrue(List.of("true", "false").contains(key.defaultValue()), k + "." + key.name());
                }
                assertTrue(!(key.required() && key.defaultValue() != null), k + "." + key.name() + " required with a default");
            }
        }
        assertEquals(MacvlanMode.VEPA, MacvlanMode.of(IfKind.MACVLAN.defaultOf("mode")).orElseThrow());
        assertEquals(IpvlanMode.L3, IpvlanMode.of(IfKind.IPVLAN.defaultOf("mode")).orElseThrow());
    }

    @Test
    void dslHeaderKeysAreKeysOfTheKindAndEveryKeyIsInTheCanonicalOrder() {
        for (IfKind k : IfKind.values()) {
            for (String h : k.dslHeader()) {
                assertTrue(k.accepts(h), k + " header key " + h);
            }
            for (IfKey key : k.keys()) {
                assertTrue(IfKind.keyOrder().contains(key.name()), key.name());
                assertEquals(IfKind.shapeOf(key.name()), key.value(), key.name() + " is written one way by every kind");
            }
        }
        assertEquals(IfKind.keyOrder().size(), new HashSet<>(IfKind.keyOrder()).size());
    }

    private static Interface instance(Class<? extends Interface> record) throws Exception {
        RecordComponent[] components = record.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int c = 0; c < components.length; c++) {
            types[c] = components[c].getType();
            args[c] = types[c] == IfCommon.class
                    ? new IfCommon("n", "i", Span.NONE, List.of(), null, null, null, true, false)
                    : types[c] == int.class ? 0 : types[c] == long.class ? 0L : types[c] == boolean.class ? false : null;
        }
        return record.getDeclaredConstructor(types).newInstance(args);
    }

    private static final Interface.Cases<String> NAMES = new Interface.Cases<>() {
        public String veth(Interface.Veth i) { return "veth"; }
        public String bridge(Interface.Bridge i) { return "bridge"; }
        public String vlan(Interface.Vlan i) { return "vlan"; }
        public String vxlan(Interface.Vxlan i) { return "vxlan"; }
        public String macvlan(Interface.Macvlan i) { return "macvlan"; }
        public String ipvlan(Interface.Ipvlan i) { return "ipvlan"; }
        public String physical(Interface.Physical i) { return "physical"; }
        public String dummy(Interface.Dummy i) { return "dummy"; }
        public String tun(Interface.Tun i) { return "tun"; }
        public String tap(Interface.Tap i) { return "tap"; }
        public String loopback(Interface.Loopback i) { return "loopback"; }
    };
}
