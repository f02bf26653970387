/*
 * The words of the topoc DSL (docs/language.md, "Lexical rules").
 *
 * A word is any run of characters other than whitespace, braces, a double quote and the comment
 * markers. Keywords are ordinary words that the lexer tags; the parser accepts every keyword wherever
 * a name or a value is expected (rule `word`), so keywords are recognised by position only.
 * Longest match keeps `nodes`, `a->b` and `--x` single words; `->` and `--` count only alone.
 */
lexer grammar TopoLexer;

channels { COMMENTS }

COMMENT : ( '#' | '//' ) ~[\r\n]* -> channel(COMMENTS) ;
WS      : [ \t\r\n\f]+ -> skip ;

LBRACE : '{' ;
RBRACE : '}' ;
ARROW  : '->' ;
DASHDASH : '--' ;

// a quoted value; a quote left open to the end of the line is its own token so that the parser
// can accept it as a value while the front end reports it once
STRING      : '"' ( '\\' ~[\r\n] | ~["\\\r\n] )* '"' ;
BAD_STRING  : '"' ( '\\' ~[\r\n] | ~["\\\r\n] )* '\\'? ;

// top level
TOPOLOGY : 'topology' ;
NODE     : 'node' ;
LINK     : 'link' ;
EXPECT   : 'expect' ;

// machines (LANGUAGE.md §5); MACHINE is also the node statement below
SSH      : 'ssh' ;
UNDERLAY : 'underlay' ;

// node kinds
NETNS    : 'netns' ;
ROOT     : 'root' ;
EXTERNAL : 'external' ;

// node statements
FORWARDING : 'forwarding' ;
MACHINE    : 'machine' ;
SYSCTL     : 'sysctl' ;
IFACE      : 'iface' ;
LO         : 'lo' ;
ROUTE      : 'route' ;
RULE       : 'rule' ;
NAT        : 'nat' ;
FIREWALL   : 'firewall' ;
LISTEN     : 'listen' ;
RUN        : 'run' ;
ON         : 'on' ;

// interface kinds
VETH     : 'veth' ;
BRIDGE   : 'bridge' ;
VLAN     : 'vlan' ;
VXLAN    : 'vxlan' ;
MACVLAN  : 'macvlan' ;
IPVLAN   : 'ipvlan' ;
PHYSICAL : 'physical' ;
DUMMY    : 'dummy' ;
TUN      : 'tun' ;
TAP      : 'tap' ;
LOOPBACK : 'loopback' ;

// interface keys
ADDRESS : 'address' ;
MTU     : 'mtu' ;
MAC     : 'mac' ;
MASTER  : 'master' ;
UP      : 'up' ;
PARENT  : 'parent' ;
ID      : 'id' ;
VNI     : 'vni' ;
LOCAL   : 'local' ;
REMOTE  : 'remote' ;
GROUP   : 'group' ;
DEV     : 'dev' ;
PORT    : 'port' ;
MODE    : 'mode' ;
FLAG    : 'flag' ;
STP     : 'stp' ;
HAIRPIN : 'hairpin' ;
SUBNET  : 'subnet' ;
KIND    : 'kind' ;

// routes and rules
VIA         : 'via' ;
METRIC      : 'metric' ;
TABLE       : 'table' ;
SRC         : 'src' ;
TYPE        : 'type' ;
BLACKHOLE   : 'blackhole' ;
UNREACHABLE : 'unreachable' ;
PROHIBIT    : 'prohibit' ;
PRIORITY    : 'priority' ;
FROM        : 'from' ;
TO          : 'to' ;
IIF         : 'iif' ;
OIF         : 'oif' ;
FWMARK      : 'fwmark' ;
LOOKUP      : 'lookup' ;

// nat
MASQUERADE : 'masquerade' ;
SNAT       : 'snat' ;
DNAT       : 'dnat' ;
TCP        : 'tcp' ;
UDP        : 'udp' ;
PROTO      : 'proto' ;
IN         : 'in' ;
OUT        : 'out' ;
DST        : 'dst' ;

// firewall
INPUT   : 'input' ;
FORWARD : 'forward' ;
OUTPUT  : 'output' ;
POLICY  : 'policy' ;
ACCEPT  : 'accept' ;
DROP    : 'drop' ;
REJECT  : 'reject' ;
SPORT   : 'sport' ;
DPORT   : 'dport' ;
STATE   : 'state' ;

// expect
ICMP    : 'icmp' ;
REACH   : 'reach' ;
NOREACH : 'noreach' ;
LANDS   : 'lands' ;
SIZE    : 'size' ;
DF      : 'df' ;

TRUE  : 'true' ;
FALSE : 'false' ;

// a '/' belongs to a word unless it starts `//`
WORD : ( WORD_CHAR | '/' { _input.LA(1) != '/' }? )+ ;

fragment WORD_CHAR : ~[ \t\r\n\f{}"#/] ;
