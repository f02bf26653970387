package dev.topoc.compiler.diag;

/**
 * The wordings of the compiler's codes that are reported from several places, grouped by code (a code reported
 * from one place carries its wording itself, see {@link Code}). Each names its code, which fixes the severity;
 * the text and the fix hint are {@link Template}s: {@code {0}}, {@code {1}}, ... are the call site's arguments.
 * A template that is only {@code {0}} passes on wording made elsewhere (the YAML parser's own problem text, the
 * DSL syntax table in {@code syntax-messages.tsv}).
 */
public enum Msg implements Template {
    /** {0}: the message the DSL error strategy phrased from the grammar (syntax-messages.tsv beside it). */
    SYNTAX_FROM_TABLE(Code.SYNTAX,
            "{0}"),
    /** {0}: the exception's class. */
    PARSER_GAVE_UP(Code.SYNTAX,
            "the parser gave up on this file ({0})",
            "please report this as a bug"),
    UNTERMINATED_QUOTE(Code.SYNTAX,
            "unterminated quoted value: a `\"` must close it on the same line"),
    TOO_MANY_SYNTAX_ERRORS(Code.SYNTAX,
            "too many syntax errors; the rest of the file was not checked"),
    INTERFACE_STATEMENT_THOSE_NOR(Code.SYNTAX,
            "`{0}` is not an interface statement (those are: {1}), nor an address (`address` takes "
            + "addresses with a prefix length, such as 10.0.0.1/24, or `auto`)"),
    COULD_READ_YAML(Code.YAML_SYNTAX,
            "could not read this YAML: {0}"),
    /** {0}: the code point in hex. */
    YAML_BAD_CHARACTER(Code.YAML_SYNTAX,
            "character U+{0} is not allowed in YAML"),
    /** {0}: the YAML parser's own text for a problem it does not mark. */
    YAML_PARSER_TEXT(Code.YAML_SYNTAX,
            "{0}"),
    /** {0}: the YAML parser's problem and context, as YamlFrontEnd.syntaxError words them. */
    YAML_PARSER_PROBLEM(Code.YAML_SYNTAX,
            "{0}"),
    /** {0}: what the key would be (a key, a node key, ...), {1}: the key, {2}: where (in a node, ...). */
    UNKNOWN_MERGE_KEY(Code.UNKNOWN_KEY,
            "unknown {0} `{1}` {2}",
            "YAML merge keys are not supported, write the keys out"),
    /** {3}: the closest allowed key. */
    UNKNOWN_KEY_CLOSE(Code.UNKNOWN_KEY,
            "unknown {0} `{1}` {2}",
            "did you mean `{3}`?"),
    /** {3}: the allowed keys. */
    UNKNOWN_KEY_CHOICES(Code.UNKNOWN_KEY,
            "unknown {0} `{1}` {2}",
            "expected one of: {3}"),
    TAKES_WHOLE_NUMBER_FOUND(Code.WRONG_TYPE,
            "`{0}` takes a whole number, found `{1}`"),
    TAKES_TRUE_FALSE_FOUND(Code.WRONG_TYPE,
            "`{0}` takes true or false, found `{1}`"),
    LISTEN_TAKES_PROTOCOL_PORT(Code.WRONG_TYPE,
            "`listen` takes a protocol, a port or range and optionally `on ADDRESS`, e.g. `listen tcp 80` "
            + "or `listen udp 53 on 10.0.0.10`"),
    RUN_TAKES_ONE_COMMAND(Code.WRONG_TYPE,
            "`run` takes one command in double quotes, e.g. `run \"python3 -m http.server 80\"`"),
    SYSCTL_TAKES_KEY_VALUE(Code.WRONG_TYPE,
            "`sysctl` takes a key and a value, e.g. `sysctl net.ipv4.conf.all.rp_filter 0`"),
    TAG_ALLOWED_TOPOLOGY_PLAIN(Code.WRONG_TYPE,
            "tag `{0}` is not allowed: a topology is plain data (allowed tags: !!str, !!int, !!float, "
            + "!!bool, !!null, !!seq, !!map)"),
    KEY_NEEDS_VALUE_1(Code.WRONG_TYPE,
            "`{0}` needs a value"),
    KEY_NEEDS_VALUE(Code.WRONG_TYPE,
            "`{0}` key `{1}` needs a value"),
    WT_TOPOLOGY_FILE_MAP_TOPOLOGY(Code.WRONG_TYPE,
            "a topology file is a map of `topology`, `machines`, `nodes`, `links` and `expect`, found {0}"),
    WT_MACHINE_TAKES_MAP(Code.WRONG_TYPE,
            "machine `{0}` takes a map of `ssh`, `underlay` and `mtu`, found {1}"),
    WT_NODE_TAKES_MAP_NODE(Code.WRONG_TYPE,
            "node `{0}` takes a map of node keys, found {1}"),
    WT_INTERFACE_TAKES_MAP_INTERFACE(Code.WRONG_TYPE,
            "interface `{0}` takes a map of interface keys, found {1}"),
    WT_CHAIN_TAKES_MAP_POLICY(Code.WRONG_TYPE,
            "chain `{0}` takes a map of `policy` and `rules`, found {1}"),
    WT_LISTEN_WRITTEN_TCP_TCP(Code.WRONG_TYPE,
            "a listen is written `tcp/80`, `tcp/8000-8010`, `udp/53 on 10.0.0.10` or `{proto: udp, port: "
            + "53, on: 10.0.0.10}`, found `{0}`"),
    WT_EACH_ENTRY_LISTEN_TCP(Code.WRONG_TYPE,
            "each entry of `listen` is `tcp/80` or a map of proto, port and on, found {0}"),
    /** {0}: the expect's proto and port, {1}: the target node. */
    NO_LISTENER(Code.EXPECT_NO_LISTENER,
            "nothing listens on {0} at `{1}`, so this expect can only be `noreach` (the kernel refuses the "
            + "connection): add `listen {0}` to node `{1}`, or expect `noreach`"),
    /** {0}: the word given for the family. */
    FAMILY_NEITHER_4_NOR_6(Code.BAD_VALUE,
            "family `{0}` is neither 4 nor 6: write `family: 4` or `family: 6` (in the DSL, `v4` or `v6` after the "
            + "target)"),
    /** {0}: the target, {1}: its address's family, {2}: the family asked for. */
    EXPECT_FAMILY_AGAINST_ADDRESS(Code.FAMILY_MISMATCH,
            "the target {0} is an IPv{1} address, but the expectation asks for IPv{2}; drop `v{2}` (YAML `family: "
            + "{2}`): an address says its own family"),
    /** {0}: the dnat's line, {1}: the expect's proto and port, {2}: the dnat's target address, {3}: the port it
     *  forwards to, {4}: the node that owns the target, {5}: the protocol word. */
    NO_LISTENER_BEHIND_DNAT(Code.EXPECT_NO_LISTENER,
            "the dnat at line {0} carries {1} to {2}:{3} on `{4}`, where nothing listens on {5} {3}, so this expect "
            + "can only be `noreach` (the kernel refuses the connection): add `listen {5} {3}` to node `{4}`, or "
            + "expect `noreach`"),
    WT_EACH_ENTRY_RUN_COMMAND(Code.WRONG_TYPE,
            "each entry of `run` is a command (a string), found {0}"),
    WT_LINK_WRITTEN_B_NODE(Code.WRONG_TYPE,
            "a link is written `[a, b]` or `{a: NODE:IF, b: NODE:IF}`, found {0}"),
    WT_LINK_B_TWO_ENDPOINTS(Code.WRONG_TYPE,
            "a link `[a, b]` has two endpoints, found {0}"),
    WT_LINK_ENDPOINT_WRITTEN_NODE(Code.WRONG_TYPE,
            "a link endpoint is written `NODE:IF`, found {0}"),
    WT_TAKES_MAP_FOUND(Code.WRONG_TYPE,
            "`{0}` takes a map of {1}, found {2}"),
    WT_EACH_ENTRY_MAP_FOUND(Code.WRONG_TYPE,
            "each entry of `{0}` is a map, found {1}"),
    WT_TAKES_FOUND(Code.WRONG_TYPE,
            "`{0}` takes {1}, found {2}"),
    WT_TAKES_SINGLE_VALUE_FOUND(Code.WRONG_TYPE,
            "`{0}` takes a single value, found {1}"),
    WT_TAKES_LIST_VALUES_FOUND(Code.WRONG_TYPE,
            "`{0}` takes a list of values, found {1}"),
    WT_EACH_VALUE_SINGLE_VALUE(Code.WRONG_TYPE,
            "each value of `{0}` is a single value, found {1}"),
    WT_TAKES_MAP_KEY_VALUE(Code.WRONG_TYPE,
            "`{0}` takes a map of KEY: VALUE, found {1}"),
    WT_KEY_TAKES_SINGLE_VALUE(Code.WRONG_TYPE,
            "`{0}` key `{1}` takes a single value, found {2}"),
    WT_KEY_SINGLE_WORD_FOUND(Code.WRONG_TYPE,
            "a key is a single word, found {0}"),
    INTERFACE_NEEDS_KEY(Code.MISSING_KEY,
            "interface `{0}` needs `{1}`: {2}"),
    ROUTE_NEEDS_DESTINATION_DEFAULT(Code.MISSING_KEY,
            "a route needs a destination: `to: default` or a CIDR"),
    ROUTE_NEEDS_GATEWAY_VIA(Code.MISSING_KEY,
            "a route needs a gateway (`via`) or an interface (`dev`), or a type such as `blackhole`"),
    RULE_NEEDS_TABLE_LOOK(Code.MISSING_KEY,
            "a rule needs a table to look up: `lookup 100`"),
    NAT_ENTRY_NEEDS_TYPE(Code.MISSING_KEY,
            "a NAT entry needs a type: masquerade, snat or dnat"),
    PORT_NEEDS_PROTOCOL_ADD(Code.MISSING_KEY,
            "a port needs a protocol: add `tcp` or `udp`"),
    SNAT_NEEDS_ADDRESS(Code.MISSING_KEY,
            "snat needs `to ADDRESS`"),
    DNAT_NEEDS_ADDRESS_PORT(Code.MISSING_KEY,
            "dnat needs `to ADDRESS[:PORT]`"),
    FORWARDING_PORT_NEEDS_PROTOCOL(Code.MISSING_KEY,
            "forwarding to a port needs a protocol: add `tcp` or `udp`"),
    FIREWALL_RULE_NEEDS_ACTION(Code.MISSING_KEY,
            "a firewall rule needs an action: accept, drop or reject"),
    NEEDS_PROTO_TCP_PROTO(Code.MISSING_KEY,
            "`{0}` needs `proto tcp` or `proto udp` in the same rule"),
    EXPECTATION_NEEDS_FROM_TO(Code.MISSING_KEY,
            "an expectation needs `from` and `to`"),
    EXPECTATION_NEEDS_REACH_TRUE(Code.MISSING_KEY,
            "an expectation needs `reach` (true or false)"),
    EXPECTATION_NEEDS_PORT_E(Code.MISSING_KEY,
            "a {0} expectation needs a port, e.g. `{0} 80`"),
    FILE_EMPTY_TOPOLOGY_STARTS(Code.MISSING_KEY,
            "the file is empty: a topology starts with `topology: NAME` and `nodes:`"),
    LISTEN_NEEDS_E_G(Code.MISSING_KEY,
            "a listen needs `{0}`, e.g. `{proto: tcp, port: 80}`"),
    LINK_NEEDS_ENDPOINT_NODE(Code.MISSING_KEY,
            "a link needs `{0}` (an endpoint NODE:IF)"),
    GIVEN_TWICE_MAP_FIRST(Code.DUPLICATE_KEY,
            "`{0}` is given twice in this map (first on line {1})"),
    TOPOLOGY_ALREADY_NAMED_LINE(Code.DUPLICATE_KEY,
            "the topology is already named `{0}` (line {1})"),
    GIVEN_TWICE_BLOCK_FIRST(Code.DUPLICATE_KEY,
            "`{0}` is given twice in this block (first on line {1}); it takes one value: keep one of them"),
    WOULD_MAKE_TOPOLOGY_MORE(Code.INPUT_LIMIT,
            "{0} would make the topology more than {1} nodes, interfaces and links (the limit, checked "
            + "before expanding): use smaller ranges"),
    DOCUMENT_EXPANDS_MORE_THAN(Code.INPUT_LIMIT,
            "the document expands to more than {0} YAML nodes through aliases; topoc stops reading here"),
    DOCUMENT_NESTED_TOO_DEEPLY(Code.INPUT_LIMIT,
            "the document is nested too deeply"),
    MORE_THAN_ALIASES_LISTS(Code.INPUT_LIMIT,
            "more than {0} aliases to lists or maps: topoc refuses documents that could expand exponentially"),
    DOCUMENT_NESTED_MORE_THAN(Code.INPUT_LIMIT,
            "the document is nested more than {0} levels deep"),
    DOCUMENT_LARGER_THAN_CHARACTERS(Code.INPUT_LIMIT,
            "the document is larger than {0} characters"),
    RANGE_TOO_LARGE(Code.BAD_RANGE,
            "range `{0}` in `{1}` is too large"),
    RANGE_COUNTS_DOWN(Code.BAD_RANGE,
            "range `{0}` in `{1}` counts down",
            "write the smaller bound first: `[{2}..{3}]`"),
    EXPANDS_MORE_THAN_NAMES(Code.BAD_RANGE,
            "`{0}` expands to more than {1} names"),
    MALFORMED_RANGE_RANGE_WRITTEN(Code.BAD_RANGE,
            "malformed range in `{0}`; a range is written `[FIRST..LAST]`, e.g. `web[1..50]`"),
    ENDS_LINK_EXPAND_INTERFACES(Code.RANGE_MISMATCH,
            "the ends of this link expand to {0} and {1} interfaces; ranges in a link pair up element by "
            + "element, so they must have the same length"),
    SIDES_EXPECTATION_EXPAND_NAMES(Code.RANGE_MISMATCH,
            "the sides of this expectation expand to {0} and {1} names",
            "use ranges of the same length, or a single name on one side"),
    ALIAS_WOULD_EXPANDED_INTO(Code.YAML_ALIAS_NOT_KEPT,
            "this alias would be expanded into a copy of what its anchor holds, so the file is not rewritten",
            "format it by hand, or write the repetition as a range (`h[1..2]`), which is kept"),
    YAML_READER_CANNOT_KEEP(Code.YAML_ALIAS_NOT_KEPT,
            "the YAML reader cannot keep the comments of this file (a comment right after an anchor or a "
            + "tag), so it is not rewritten",
            "move that comment to a line of its own"),
    ANCHORS_KEPT_PRINTER_SO(Code.YAML_ALIAS_NOT_KEPT,
            "anchors are not kept by the printer, so the file is not rewritten",
            "remove the anchor"),
    NAME_NOT_ALLOWED(Code.BAD_NAME,
            "{0} name `{1}` is not allowed: names start with a letter and contain only letters, digits, "
            + "`_`, `.` and `-`"),
    INTERFACE_NAME_RESERVED_KERNEL(Code.BAD_NAME,
            "interface name `{0}` is reserved: the kernel's /proc/sys/net/ipv4/conf/{0} stands for every "
            + "interface, so a setting meant for this one would change them all",
            "choose another name"),
    /** {0}: what is named (node, interface, ...), {1}: the name, {2}: its length, {3}: the limit. */
    NAME_TOO_LONG(Code.NAME_TOO_LONG,
            "{0} name `{1}` is {2} characters long; the limit is {3}"),
    INTERFACE_NAME_TOO_LONG(Code.NAME_TOO_LONG,
            "{0} name `{1}` is {2} characters long; the limit is {3} (the kernel's IFNAMSIZ)"),
    NODE_DECLARES_INTERFACE_DID(Code.UNKNOWN_REFERENCE,
            "node `{0}` declares no interface `{1}`; did you mean `{2}`? (`{2}` is declared and on no link; "
            + "a link end that names an undeclared interface creates a veth of that name)"),
    NO_NODE_NAMED(Code.UNKNOWN_REFERENCE,
            "no node is named `{0}`{1}"),
    NODE_HAS_NO_INTERFACE(Code.UNKNOWN_REFERENCE,
            "node `{0}` has no interface `{1}`{2}"),
    KEY_NOT_FOR_KIND(Code.KEY_NOT_ALLOWED,
            "`{0}` does not apply to a {1} interface{2}"),
    HAIRPIN_APPLIES_BRIDGE_PORT(Code.KEY_NOT_ALLOWED,
            "`hairpin` applies to a bridge port: add `master BRIDGE` to `{0}`"),
    MASQUERADE_TAKES_ADDRESS_OUTGOING(Code.KEY_NOT_ALLOWED,
            "masquerade takes the address of the outgoing interface",
            "use `snat` to choose an address"),
    DNAT_HAPPENS_BEFORE_ROUTING(Code.KEY_NOT_ALLOWED,
            "dnat happens before routing, when the outgoing interface is not known yet",
            "match `in` instead"),
    ICMP_HAS_NO_PORTS(Code.KEY_NOT_ALLOWED,
            "icmp has no ports",
            "use tcp or udp"),
    SIZE_DF_DESCRIBE_ICMP(Code.KEY_NOT_ALLOWED,
            "`size` and `df` describe an icmp echo (as `ping -s N -M do`); a {0} expectation has neither"),
    MASTER_INTERFACE_INTERFACE_CAN(Code.BAD_MASTER,
            "`master {0}`: `{0}` is a {1} interface; an interface can only be enslaved to a bridge of its "
            + "own node"),
    BRIDGE_CANNOT_OWN_MASTER(Code.BAD_MASTER,
            "bridge `{0}` cannot be its own master"),
    TAKES_IPV4_IPV6_ADDRESS(Code.BAD_CIDR,
            "`{0}` takes an IPv4 or IPv6 address, found `{1}`"),
    ADDRESS_CIDR_FORM_E(Code.BAD_CIDR,
            "`{0}` is not an address in CIDR form (e.g. 10.0.0.1/24 or 2001:db8::1/64)"),
    TAKES_NETWORK_CIDR_FORM(Code.BAD_CIDR,
            "`{0}` takes a network in CIDR form (e.g. 10.0.0.0/24), found `{1}`"),
    HOST_BITS_SET_DID(Code.BAD_CIDR,
            "`{0}` has host bits set; did you mean `{1}`?"),
    NUMBER_OUT_OF_RANGE(Code.OUT_OF_RANGE,
            "`{0}` {1} is out of range; allowed: {2} to {3}"),
    /** {4}: why the range is what it is. */
    NUMBER_OUT_OF_RANGE_BECAUSE(Code.OUT_OF_RANGE,
            "`{0}` {1} is out of range; allowed: {2} to {3} ({4})"),
    PORT_RANGE_REVERSED(Code.OUT_OF_RANGE,
            "port range `{0}` is reversed",
            "write `{1}-{2}`"),
    NOT_ONE_OF(Code.BAD_VALUE,
            "`{0}` cannot be `{1}`; expected one of {2}{3}"),
    LO_LOOPBACK_INTERFACE_CANNOT(Code.BAD_VALUE,
            "`lo` is the loopback interface; it cannot be of kind {0}"),
    LINK_CANNOT_CONNECT_ITSELF(Code.BAD_VALUE,
            "a link cannot connect `{0}` to itself"),
    LINK_END_WRITTEN_NODE(Code.BAD_VALUE,
            "a link end is written `node:interface`, found `{0}`"),
    INTERFACE_LINK_END_MUST(Code.BAD_VALUE,
            "`{0}` is a {1} interface; a link end must be a veth or physical interface"),
    RUN_COMMAND_ONE_LINE(Code.BAD_VALUE,
            "a `run` command is one line without control characters",
            "put a longer script in a file and run that file"),
    SYSCTL_VALUE_MAY_CONTAIN(Code.BAD_VALUE,
            "sysctl value `{0}` may contain only letters, digits and `_ . : , -`"),
    VXLAN_DEVICE_SENDS_EITHER(Code.BAD_VALUE,
            "a VXLAN device sends either to one `remote` or to a multicast `group`, not both"),
    INTERFACE_CANNOT_OWN_PARENT(Code.BAD_VALUE,
            "interface `{0}` cannot be its own parent"),
    NOT_A_MAC(Code.BAD_VALUE,
            "`{0}` is not a MAC address",
            "write six hex pairs, e.g. 02:00:00:00:00:01"),
    MULTICAST_MAC_ADDRESS_LOWEST(Code.BAD_VALUE,
            "`{0}` is a multicast MAC address (the lowest bit of its first byte is set); an interface "
            + "needs a unicast one, e.g. 02:00:00:00:00:01"),
    BROADCAST_MAC(Code.BAD_VALUE,
            "`{0}` is a multicast (broadcast) MAC address (the lowest bit of its first byte is set); an interface "
            + "needs a unicast one, e.g. 02:00:00:00:00:01"),
    MAC_ALL_ZERO(Code.BAD_VALUE,
            "`00:00:00:00:00:00` is no interface address",
            "write a unicast MAC, e.g. 02:00:00:00:00:01"),
    ROUTE_TYPE_WITHOUT_GATEWAY(Code.BAD_VALUE,
            "a {0} route has no gateway",
            "remove `via`"),
    NEITHER_NODE_NODE_INTERFACE(Code.BAD_VALUE,
            "`{0}` is neither a node, `node:interface`, nor an address"),
    GATEWAY_SAME_ADDRESS_FAMILY(Code.FAMILY_MISMATCH,
            "gateway {0} is not of the same address family as the destination {1}"),
    MIXES_IPV4_IPV6_DIFFERENT(Code.FAMILY_MISMATCH,
            "{0} mixes IPv4 and IPv6: {1} and {2} are of different families",
            "use addresses of one family"),
    /** {0}: why the key cannot be set (Sysctls.validate). */
    SYSCTL_REFUSED(Code.BAD_SYSCTL,
            "{0}"),
    /** {0}: why the key cannot be set, {1}: the closest settable key. */
    SYSCTL_REFUSED_CLOSE(Code.BAD_SYSCTL,
            "{0}",
            "did you mean `{1}`?"),
    ALLOWED_TOPOLOGY_FILE_INVISIBLE(Code.HIDDEN_CHARACTER,
            "{0} is not allowed in a topology file: it is invisible or breaks lines differently in other "
            + "tools, so the file could read differently from what it does",
            "delete it"),
    MORE_INVISIBLE_LINE_BREAKING(Code.HIDDEN_CHARACTER,
            "{0} more invisible or line-breaking characters in this file"),
    LISTEN_ADDRESS_OF_NONE(Code.LISTEN_ADDRESS_NOT_OWN,
            "`listen {0}`: {1} is no address of node `{2}`, so nothing could bind to it",
            "use one of the node's addresses or drop `on`"),
    LISTEN_ADDRESS_OF_ANOTHER(Code.LISTEN_ADDRESS_NOT_OWN,
            "`listen {0}`: {1} is no address of node `{2}` (it is {3}:{4}'s), so nothing could bind to it",
            "use one of the node's addresses or drop `on`"),
    /** {0}: the node, {1}: the name matched, {2}: "did you mean `x`? " or nothing, {3}: the node's interfaces. */
    NAT_UNKNOWN_INTERFACE(Code.NAT_UNKNOWN_INTERFACE,
            "node `{0}` has no interface `{1}`, so this NAT entry would never match; {2}the node has: {3}"),
    NAT_NEGATED_UNKNOWN_INTERFACE(Code.NAT_UNKNOWN_INTERFACE,
            "node `{0}` has no interface `{1}`, so this NAT entry would match every interface; {2}the node has: {3}"),
    MACHINE_NEEDS_SSH(Code.MISSING_KEY,
            "machine `{0}` needs `ssh`: the address Ansible reaches it at, e.g. `ssh 192.0.2.11`"),
    SSH_TAKES_ADDRESS_OR_HOST(Code.BAD_VALUE,
            "`ssh` takes an IP address or a host name (what Ansible connects to), found `{0}`"),
    /** {0}: the node, {1}: the machine it names, {2}: the closest declared machine. */
    MACHINE_UNKNOWN_CLOSE(Code.MACHINE_UNKNOWN,
            "node `{0}` is placed on machine `{1}`, which the topology does not declare",
            "did you mean `{2}`?"),
    MACHINE_UNKNOWN_NONE_DECLARED(Code.MACHINE_UNKNOWN,
            "node `{0}` is placed on machine `{1}`, which the topology does not declare",
            "declare it with `machine {1} { ssh ADDRESS  underlay ADDRESS }`"),
    /** {2}: the declared machines. */
    MACHINE_UNKNOWN_CHOICES(Code.MACHINE_UNKNOWN,
            "node `{0}` is placed on machine `{1}`, which the topology does not declare",
            "the machines are {2}"),
    /** {0}: the node, {1}: the first machine, {2}: all machines. */
    NODE_NOT_PLACED(Code.MACHINE_NOT_PLACED,
            "node `{0}` is on no machine, and every node of a topology with machines must name one: add "
            + "`machine {1}` (machines: {2})"),
    ROOT_NOT_PLACED(Code.MACHINE_NOT_PLACED,
            "node `{0}` is on no machine, and every root node (a machine's own default namespace) of a topology "
            + "with machines must name one: add `machine {1}` (machines: {2})"),
    /** {0} -- {1}: the earlier link, {2} -- {3}: this one, {4}: the VNI, {5}: the port. */
    VNI_CLASH_LINKS(Code.MACHINE_VNI_CLASH,
            "links `{0} -- {1}` and `{2} -- {3}` both ask for VNI {4} on port {5}: give one another `vni`, or leave "
            + "it out to have one allocated"),
    /** {0} -- {1}: the link, {2}: the VNI, {3}: the port, {4}: the vxlan device. */
    VNI_CLASH_VXLAN(Code.MACHINE_VNI_CLASH,
            "link `{0} -- {1}` asks for VNI {2} on port {3}, which vxlan `{4}` uses: the underlay would mix their "
            + "frames",
            "give the link another `vni`, or leave it out to have one allocated"),
    /** {0} -- {1}: the link, {2}: its MTU, {3} and {4}: the machines, {5}: the tunnel's budget, {6}: the smaller
     *  underlay MTU, {7}: the VXLAN overhead. */
    MTU_BUDGET_LINK(Code.MACHINE_MTU_BUDGET,
            "link `{0} -- {1}` asks for MTU {2}, but the tunnel between `{3}` and `{4}` carries at most {5} bytes "
            + "(underlay MTU {6} less {7} of VXLAN overhead): the largest MTU that fits is {5} (use `mtu {5}` or "
            + "leave it out to get it)"),
    /** {0}: the interface, {1}: its MTU, {2} -- {3}: the link, {4} and {5}: the machines, {6}: the tunnel's
     *  budget, {7}: the smaller underlay MTU, {8}: the VXLAN overhead. */
    MTU_BUDGET_INTERFACE(Code.MACHINE_MTU_BUDGET,
            "interface `{0}` asks for MTU {1}, but it is an end of link `{2} -- {3}`, and the tunnel between `{4}` "
            + "and `{5}` carries at most {6} bytes (underlay MTU {7} less {8} of VXLAN overhead): the largest MTU "
            + "that fits is {6}"),
    /** {0} -- {1}: the link, {2}: the key it sets (vni or port). */
    TUNNEL_KEY_NO_MACHINES(Code.MACHINE_TUNNEL_KEY_UNUSED,
            "link `{0} -- {1}` sets `{2}`, which only a link between two machines uses (it becomes a VXLAN tunnel), "
            + "and the topology has no machines: remove it"),
    /** {3}: the machine both ends are on. */
    TUNNEL_KEY_ONE_MACHINE(Code.MACHINE_TUNNEL_KEY_UNUSED,
            "link `{0} -- {1}` sets `{2}`, which only a link between two machines uses (it becomes a VXLAN tunnel), "
            + "and both its ends are on machine `{3}`: remove it");

    private final Code code;
    private final String text;
    private final String hint;

    Msg(Code code, String text) {
        this(code, text, null);
    }

    Msg(Code code, String text, String hint) {
        this.code = code;
        this.text = text;
        this.hint = hint;
    }

    @Override
    public Code code() {
        return code;
    }

    @Override
    public String text() {
        return text;
    }

    @Override
    public String hint() {
        return hint;
    }
}
