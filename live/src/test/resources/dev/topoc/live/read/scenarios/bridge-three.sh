# 001 "## 网桥"
ip netns add ${P}bridge
ip netns add ${P}ns1
ip netns add ${P}ns2
ip netns exec ${P}bridge ip link set lo up
ip netns exec ${P}ns1 ip link set lo up
ip netns exec ${P}ns2 ip link set lo up
ip netns exec ${P}bridge bash -e <<EOF2
ip link add bridge type bridge
ip address add 172.16.10.100/24 dev bridge
ip link set bridge up
ip link add veth-1r type veth peer name veth-1d netns ${P}ns1
ip link add veth-2r type veth peer name veth-2d netns ${P}ns2
ip link set veth-1r master bridge
ip link set veth-2r master bridge
ip link set veth-1r up
ip link set veth-2r up
EOF2
ip netns exec ${P}ns1 bash -e <<EOF2
ip address add 172.16.10.10/24 dev veth-1d
ip link set veth-1d up
EOF2
ip netns exec ${P}ns2 bash -e <<EOF2
ip address add 172.16.10.20/24 dev veth-2d
ip link set veth-2d up
EOF2
