# 000 "### 默认拒绝策略", "### 最小权限原则" (the notes' SSH source 203.0.113.50 is the sample's admin, 192.168.1.50),
# with "### 基本规则配置" for lo and established traffic; the wiring is the sample's
ip netns add ${P}server
ip netns add ${P}admin
ip netns add ${P}other
ip netns add ${P}sw
ip -n ${P}server link add eth0 type veth peer name p1 netns ${P}sw
ip -n ${P}admin link add eth0 type veth peer name p2 netns ${P}sw
ip -n ${P}other link add eth0 type veth peer name p3 netns ${P}sw
ip netns exec ${P}sw bash -e <<EOF2
ip link add br0 type bridge
for p in p1 p2 p3; do ip link set \$p master br0; ip link set \$p up; done
ip link set br0 up
EOF2
for h in server:192.168.1.10 admin:192.168.1.50 other:192.168.1.60; do
  IFS=: read n a <<< "$h"
  ip -n ${P}$n address add $a/24 dev eth0
  ip -n ${P}$n link set eth0 up
done
ip netns exec ${P}server bash -e <<EOF2
iptables -P INPUT DROP
iptables -P FORWARD DROP
iptables -P OUTPUT ACCEPT
iptables -A INPUT -i lo -j ACCEPT
iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
iptables -A INPUT -p tcp --dport 22 -s 192.168.1.50 -j ACCEPT
iptables -A INPUT -p tcp --dport 22 -j DROP
EOF2
