# 000 "# NAT" (SNAT, "### NAT 表转换示例"): the notes give the rule; the wiring is the sample's
ip netns add ${P}router
ip netns add ${P}lan1
ip netns add ${P}upstream
ip -n ${P}lan1 link add eth0 type veth peer name eth1 netns ${P}router
ip -n ${P}router link add eth0 type veth peer name eth0 netns ${P}upstream
ip -n ${P}upstream address add 203.0.113.1/24 dev eth0
ip -n ${P}upstream address add 192.0.2.53/32 dev lo
ip -n ${P}upstream link set eth0 up
ip -n ${P}upstream link set lo up
ip netns exec ${P}lan1 bash -e <<EOF2
ip address add 192.168.1.100/24 dev eth0
ip link set eth0 up
ip route add default via 192.168.1.1 dev eth0
EOF2
ip netns exec ${P}router bash -e <<EOF2
ip address add 203.0.113.10/24 dev eth0
ip address add 192.168.1.1/24 dev eth1
ip link set eth0 up
ip link set eth1 up
ip route add default via 203.0.113.1 dev eth0
sysctl -qw net.ipv4.ip_forward=1
iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE
EOF2
