# 001 "### VXLAN" (the complete example)
ip netns add ${P}ns1
ip netns add ${P}ns2
ip netns exec ${P}ns1 ip link set lo up
ip netns exec ${P}ns2 ip link set lo up
ip netns exec ${P}ns1 bash -e <<EOF2
ip link add eth0 type veth peer name eth0 netns ${P}ns2
ip address add 172.16.0.10/24 dev eth0
ip link set eth0 up
ip link add vx0 type vxlan id 100 local 172.16.0.10 remote 172.16.0.20 dev eth0 dstport 4789
ip address add 172.20.0.10/24 dev vx0
ip link set vx0 up
EOF2
ip netns exec ${P}ns2 bash -e <<EOF2
ip address add 172.16.0.20/24 dev eth0
ip link set eth0 up
ip link add vx0 type vxlan id 100 local 172.16.0.20 remote 172.16.0.10 dev eth0 dstport 4789
ip address add 172.20.0.20/24 dev vx0
ip link set vx0 up
EOF2
