package dev.topoc.compiler.ast;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A JSON Schema (draft 2020-12) of the YAML spelling, generated from the key table so that it never
 * drifts from what the front end accepts. Editors use it for completion and inline errors; it is
 * published as docs/schema/topoc.schema.json (a test keeps the file in sync). The schema checks shape
 * and the closed word sets (taken from the model's enums through the key table, interface kinds from
 * {@code IfKind}); topoc itself checks everything else (addresses, references, ranges, which interface
 * kind takes which key).
 */
public final class YamlSchema {
    private YamlSchema() {}

    public static String generate() {
        StringBuilder sb = new StringBuilder();
        sb.append("{\n");
        sb.append("  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n");
        sb.append("  \"title\": \"topoc topology (YAML spelling)\",\n");
        sb.append("  \"description\": \"Generated from compiler/src/main/java/dev/topoc/compiler/ast/Keys.java; see docs/language.md.\",\n");
        sb.append("  \"type\": \"object\",\n");
        sb.append("  \"additionalProperties\": false,\n");
        sb.append("  \"properties\": {\n");
        sb.append("    \"topology\": { \"type\": \"string\" },\n");
        sb.append("    \"machines\": { \"type\": \"object\", \"additionalProperties\": { \"$ref\": \"#/$defs/machine\" } },\n");
        sb.append("    \"nodes\": { \"type\": \"object\", \"additionalProperties\": { \"$ref\": \"#/$defs/node\" } },\n");
        sb.append("    \"links\": { \"type\": \"array\", \"items\": { \"oneOf\": [\n");
        sb.append("      { \"type\": \"array\", \"items\": { \"type\": \"string\" }, \"minItems\": 2, \"maxItems\": 2 },\n");
        sb.append("      { \"$ref\": \"#/$defs/link\" } ] } },\n");
        sb.append("    \"expect\": { \"type\": \"array\", \"items\": { \"$ref\": \"#/$defs/expect\" } }\n");
        sb.append("  },\n");
        sb.append("  \"$defs\": {\n");
        sb.append("    \"scalar\": { \"type\": [\"string\", \"number\"] },\n");
        sb.append("    \"flag\": { \"type\": [\"boolean\", \"null\"] },\n");
        sb.append("    \"list\": { \"oneOf\": [ { \"$ref\": \"#/$defs/scalar\" }, { \"type\": \"array\", \"items\": { \"$ref\": \"#/$defs/scalar\" } } ] },\n");
        String defs = List.of(
                def("node", Keys.Context.NODE, Map.of(
                        "interfaces", "{ \"type\": [\"object\", \"null\"], \"additionalProperties\": { \"oneOf\": [ { \"$ref\": \"#/$defs/iface\" }, { \"type\": \"null\" } ] } }",
                        "routes", array("route"), "rules", array("rule"), "nat", array("nat"),
                        "firewall", "{ \"type\": \"object\", \"additionalProperties\": false, \"properties\": { "
                                + Keys.CHAINS.stream().map(c -> "\"" + c + "\": { \"$ref\": \"#/$defs/chain\" }")
                                        .collect(Collectors.joining(", ")) + " } }",
                        "sysctl", "{ \"type\": \"object\", \"additionalProperties\": { \"$ref\": \"#/$defs/scalar\" } }",
                        "listen", "{ \"type\": \"array\", \"items\": { \"oneOf\": [ { \"type\": \"string\", \"pattern\": \"^(tcp|udp)/\" }, { \"$ref\": \"#/$defs/listen\" } ] } }",
                        "run", "{ \"type\": \"array\", \"items\": { \"type\": \"string\" } }")),
                def("machine", Keys.Context.MACHINE, Map.of()),
                def("iface", Keys.Context.IFACE, Map.of()),
                def("link", Keys.Context.LINK, Map.of()),
                def("route", Keys.Context.ROUTE, Map.of()),
                def("rule", Keys.Context.RULE, Map.of()),
                def("nat", Keys.Context.NAT, Map.of()),
                def("chain", Keys.Context.CHAIN, Map.of("rules", array("fwrule"))),
                def("fwrule", Keys.Context.FWRULE, Map.of()),
                def("expect", Keys.Context.EXPECT, Map.of()),
                def("listen", Keys.Context.LISTEN, Map.of()))
                .stream().collect(Collectors.joining(",\n"));
        sb.append(defs).append("\n  }\n}\n");
        return sb.toString();
    }

    private static String array(String def) {
        return "{ \"type\": \"array\", \"items\": { \"$ref\": \"#/$defs/" + def + "\" } }";
    }

    private static String def(String name, Keys.Context context, Map<String, String> nested) {
        String props = Keys.of(context).stream().map(key -> "        \"" + key + "\": " + type(context, key, nested))
                .collect(Collectors.joining(",\n"));
        return "    \"" + name + "\": {\n      \"type\": \"object\",\n      \"additionalProperties\": false,\n"
                + "      \"properties\": {\n" + props + "\n      }\n    }";
    }

    private static String type(Keys.Context context, String key, Map<String, String> nested) {
        if (nested.containsKey(key)) {
            return nested.get(key);
        }
        Keys.Key entry = Keys.key(context, key).orElseThrow();
        List<String> words = entry.words();
        Keys.Shape shape = entry.shape();
        if (!words.isEmpty()) {
            String en = "{ \"enum\": [" + words.stream().map(w -> "\"" + w + "\"").collect(Collectors.joining(", ")) + "] }";
            return shape == Keys.Shape.LIST ? "{ \"oneOf\": [ " + en + ", { \"type\": \"array\", \"items\": " + en + " } ] }" : en;
        }
        return switch (shape) {
            case FLAG -> "{ \"$ref\": \"#/$defs/flag\" }";
            case LIST -> "{ \"$ref\": \"#/$defs/list\" }";
            default -> "{ \"$ref\": \"#/$defs/scalar\" }";
        };
    }
}
