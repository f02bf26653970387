grammar Topo;
file : EOF ;
WS : [ \t\r\n]+ -> skip ;
