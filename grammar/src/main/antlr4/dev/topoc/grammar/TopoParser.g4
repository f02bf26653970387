/*
 * The topoc DSL (LANGUAGE.md §3, docs/language.md). Statements are keyword-led and unterminated;
 * rule names are prefixed by where they appear: s_ top level, n_ node body, i_ interface keys,
 * l_ link keys, r_ route options, ru_ policy-rule options, na_ nat options, f_ firewall, e_ expect.
 * Name and value positions use `word`, which accepts every keyword; positions that take several
 * values (`address A B`, `via N1 N2`) use `plain` so that the next statement's keyword ends the list.
 */
parser grammar TopoParser;

options { tokenVocab = TopoLexer; }

file : s_stmt* EOF ;

s_stmt : s_topology | s_machine | s_node | s_link | s_expect ;

s_topology : TOPOLOGY name=word ;

// ---- machines (LANGUAGE.md §5) ---------------------------------------------------------------

s_machine : MACHINE name=word m_pair* m_block? ;

m_block : LBRACE m_pair* RBRACE ;

m_pair : key=m_key value=word ;

m_key : SSH | UNDERLAY | MTU ;

// ---- node -------------------------------------------------------------------------------------

s_node : NODE name=word node_kind? LBRACE n_stmt* RBRACE ;

node_kind : NETNS | ROOT | EXTERNAL ;

n_stmt
  : n_forwarding
  | n_machine
  | n_sysctl
  | n_iface
  | n_kind_iface
  | n_lo
  | n_route
  | n_rule
  | n_nat
  | n_firewall
  | n_listen
  | n_run
  ;

n_forwarding : FORWARDING bool? ;

n_machine : MACHINE name=word ;

n_sysctl : SYSCTL key=word value=word ;

// ---- workloads (LANGUAGE.md §5) ---------------------------------------------------------------

n_listen : LISTEN proto=word ports=word (ON address=word)? ;

n_run : RUN command=word ;

// ---- interfaces -------------------------------------------------------------------------------

n_iface : IFACE name=word iface_kind? i_pair* i_block? ;

n_kind_iface : iface_kind name=word i_pair* i_block? ;

n_lo : LO i_pair* i_block? ;

iface_kind : VETH | BRIDGE | VLAN | VXLAN | MACVLAN | IPVLAN | PHYSICAL | DUMMY | TUN | TAP | LOOPBACK ;

i_block : LBRACE i_pair* RBRACE ;

i_pair
  : i_address
  | i_flag
  | i_scalar
  ;

i_address : ADDRESS plain+ ;

i_flag : key=(STP | HAIRPIN) bool? ;

i_scalar : key=i_key value=word ;

i_key
  : MTU | MAC | MASTER | UP | PARENT | ID | VNI | LOCAL | REMOTE | GROUP | DEV | PORT | MODE | FLAG
  | SUBNET | KIND
  ;

// ---- routes and policy rules ------------------------------------------------------------------

n_route : ROUTE route_type? dest=word r_opt* ;

route_type : BLACKHOLE | UNREACHABLE | PROHIBIT ;

r_opt : key=r_key value=word ;

r_key : VIA | DEV | METRIC | TABLE | SRC | TYPE ;

n_rule : RULE ru_opt+ ;

ru_opt : key=ru_key value=word ;

ru_key : PRIORITY | FROM | TO | IIF | OIF | FWMARK | LOOKUP | TABLE ;

// ---- nat --------------------------------------------------------------------------------------

n_nat : NAT nat_type na_opt* ;

nat_type : MASQUERADE | SNAT | DNAT ;

na_opt
  : na_proto
  | na_pair
  ;

na_proto : TCP | UDP ;

na_pair : key=na_key value=word ;

na_key : PROTO | FROM | TO | OUT | IN | PORT | DST ;

// ---- firewall ---------------------------------------------------------------------------------

n_firewall : FIREWALL chain_name f_policy? f_block? ;

chain_name : INPUT | FORWARD | OUTPUT ;

f_policy : POLICY value=word ;

f_block : LBRACE f_rule* RBRACE ;

f_rule : f_action f_opt* ;

f_action : ACCEPT | DROP | REJECT ;

f_opt : key=f_key value=word ;

f_key : PROTO | FROM | TO | SPORT | DPORT | IN | OUT | IIF | OIF | STATE ;

// ---- links ------------------------------------------------------------------------------------

s_link : LINK a=word DASHDASH b=word l_pair* l_block? ;

l_block : LBRACE l_pair* RBRACE ;

l_pair : key=l_key value=word ;

l_key : MTU | SUBNET | VNI | PORT ;

// ---- expect -----------------------------------------------------------------------------------

s_expect : EXPECT from=word ARROW to=word e_proto? e_reach e_opt* ;

e_proto
  : ICMP e_size? DF?
  | (TCP | UDP) port=word
  ;

e_size : SIZE n=word ;

e_reach : REACH | NOREACH ;

e_opt
  : e_via
  | e_lands
  ;

e_via : VIA plain+ ;

e_lands : LANDS node=word ;

// ---- words ------------------------------------------------------------------------------------

bool : TRUE | FALSE ;

plain : WORD | STRING | BAD_STRING ;

word : plain | keyword ;

keyword
  : TOPOLOGY | NODE | LINK | EXPECT | NETNS | ROOT | EXTERNAL | FORWARDING | MACHINE | SYSCTL | IFACE
  | LO | ROUTE | RULE | NAT | FIREWALL | VETH | BRIDGE | VLAN | VXLAN | MACVLAN | IPVLAN | PHYSICAL
  | DUMMY | TUN | TAP | LOOPBACK | ADDRESS | MTU | MAC | MASTER | UP | PARENT | ID | VNI | LOCAL
  | REMOTE | GROUP | DEV | PORT | MODE | FLAG | STP | HAIRPIN | SUBNET | KIND | VIA | METRIC | TABLE | SRC
  | TYPE | BLACKHOLE | UNREACHABLE | PROHIBIT | PRIORITY | FROM | TO | IIF | OIF | FWMARK | LOOKUP
  | MASQUERADE | SNAT | DNAT | TCP | UDP | PROTO | IN | OUT | DST | INPUT | FORWARD | OUTPUT
  | POLICY | ACCEPT | DROP | REJECT | SPORT | DPORT | STATE | ICMP | REACH | NOREACH | LANDS | SIZE | DF
  | LISTEN | RUN | ON | SSH | UNDERLAY | TRUE | FALSE
  ;
