# 000 "# NAT" (DNAT, 端口转发（PAT）): the notes' two DNAT rules; the wiring is the sample's (the notes' third
# rule, a MASQUERADE matching a destination and port, is what the sample leaves out: samples/README.md)
ip netns add ${P}router
ip netns add ${P}server
ip netns add ${P}client
ip -n ${P}server link add eth0 type veth peer name eth1 netns ${P}router
ip -n ${P}router link add eth0 type veth peer name eth0 netns ${P}client
ip -n ${P}client address add 203.0.113.50/24 dev eth0
ip -n ${P}client link set eth0 up
ip netns exec ${P}server bash -e <<EOF2
ip address add 192.168.1.100/24 dev eth0
ip link set eth0 up
ip route add default via 192.168.1.1 dev eth0
EOF2
ip netns exec ${P}router bash -e <<EOF2
ip address add 203.0.113.10/24 dev eth0
ip address add 192.168.1.1/24 dev eth1
ip link set eth0 up
ip link set eth1 up
sysctl -qw net.ipv4.ip_forward=1
iptables -t nat -A PREROUTING -d 203.0.113.10 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:80
iptables -t nat -A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination 192.168.1.100:80
EOF2
