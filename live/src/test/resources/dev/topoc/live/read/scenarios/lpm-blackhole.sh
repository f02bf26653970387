# 000 "### 特殊路由类型", "### 添加路由": the notes' route forms on the sample's wiring
ip netns add ${P}pc
ip netns add ${P}gw
ip netns add ${P}lab
ip -n ${P}pc link add eth0 type veth peer name eth0 netns ${P}gw
ip -n ${P}gw link add eth1 type veth peer name eth0 netns ${P}lab
ip netns exec ${P}pc bash -e <<EOF2
ip address add 192.168.1.100/24 dev eth0
ip link set eth0 up
ip route add 10.0.0.0/8 via 192.168.1.1 dev eth0
ip route add blackhole 10.20.2.0/24
EOF2
ip netns exec ${P}gw bash -e <<EOF2
ip address add 192.168.1.1/24 dev eth0
ip address add 10.20.0.1/16 dev eth1
ip link set eth0 up
ip link set eth1 up
sysctl -qw net.ipv4.ip_forward=1
EOF2
ip netns exec ${P}lab bash -e <<EOF2
ip address add 10.20.1.10/16 dev eth0
ip address add 10.20.2.10/16 dev eth0
ip link set eth0 up
ip route add default via 10.20.0.1 dev eth0
EOF2
