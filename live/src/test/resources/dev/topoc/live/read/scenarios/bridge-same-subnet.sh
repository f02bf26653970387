# 002 "### bridge 同一网段连接示例" (the notes' default namespace is the namespace of the sample's root node host)
ip netns add ${P}host
ip netns add ${P}ns1
ip netns add ${P}ns2
ip netns exec ${P}host bash -e <<EOF2
ip link add dev my_br0 type bridge
ip link add dev my_veth0 type veth peer name my_veth1
ip link set my_veth0 netns ${P}ns1
ip link set my_veth1 master my_br0
ip link add dev my_veth2 type veth peer name my_veth3
ip link set my_veth2 netns ${P}ns2
ip link set my_veth3 master my_br0
ip netns exec ${P}ns1 ip addr add 192.168.1.2/24 dev my_veth0
ip netns exec ${P}ns2 ip addr add 192.168.1.3/24 dev my_veth2
ip link set dev my_br0 up
ip link set dev my_veth1 up
ip link set dev my_veth3 up
ip netns exec ${P}ns1 ip link set dev my_veth0 up
ip netns exec ${P}ns2 ip link set dev my_veth2 up
EOF2
