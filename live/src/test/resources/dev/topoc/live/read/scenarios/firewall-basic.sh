# 000 "### 基本规则配置(iptables)", every rule as the notes write it (the LOG rule is reported by import, not written)
ip netns add ${P}server
ip netns add ${P}client
ip -n ${P}client link add eth0 type veth peer name eth0 netns ${P}server
ip -n ${P}client address add 192.168.1.20/24 dev eth0
ip -n ${P}client link set eth0 up
ip -n ${P}server address add 192.168.1.10/24 dev eth0
ip -n ${P}server link set eth0 up
ip netns exec ${P}server bash -e <<EOF2
iptables -F
iptables -X
iptables -P INPUT DROP
iptables -P FORWARD DROP
iptables -P OUTPUT ACCEPT
iptables -A INPUT -i lo -j ACCEPT
iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
iptables -A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW,ESTABLISHED -j ACCEPT
iptables -A INPUT -p tcp --dport 80 -m conntrack --ctstate NEW,ESTABLISHED -j ACCEPT
iptables -A INPUT -p tcp --dport 443 -m conntrack --ctstate NEW,ESTABLISHED -j ACCEPT
iptables -A INPUT -p icmp -j ACCEPT
iptables -A INPUT -m conntrack --ctstate INVALID -j LOG --log-prefix "INVALID: "
iptables -A INPUT -m conntrack --ctstate INVALID -j DROP
EOF2
