# 002 "### 不同网段连接示例"
ip netns add ${P}ns1
ip netns add ${P}ns2
ip netns add ${P}ns_router
ip -n ${P}ns1 link add dev my_veth0 type veth peer name my_veth0_peer netns ${P}ns_router
ip -n ${P}ns2 link add dev my_veth1 type veth peer name my_veth1_peer netns ${P}ns_router
ip netns exec ${P}ns1 ip addr add 192.168.1.2/24 dev my_veth0
ip netns exec ${P}ns_router ip addr add 192.168.1.3/24 dev my_veth0_peer
ip netns exec ${P}ns2 ip addr add 192.168.2.2/24 dev my_veth1
ip netns exec ${P}ns_router ip addr add 192.168.2.3/24 dev my_veth1_peer
ip netns exec ${P}ns1 ip link set dev my_veth0 up
ip netns exec ${P}ns_router ip link set dev my_veth0_peer up
ip netns exec ${P}ns2 ip link set dev my_veth1 up
ip netns exec ${P}ns_router ip link set dev my_veth1_peer up
ip netns exec ${P}ns1 ip route add default via 192.168.1.3 dev my_veth0
ip netns exec ${P}ns2 ip route add default via 192.168.2.3 dev my_veth1
