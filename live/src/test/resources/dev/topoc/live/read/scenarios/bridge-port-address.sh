# 002 "### net namespace 连接外网的过程记录" (up to `master br0`: the address is still on veth0)
ip netns add ${P}host
ip netns add ${P}k8svip
ip netns exec ${P}host bash -e <<EOF2
ip link add veth0 type veth peer name veth1
ip link set veth1 netns ${P}k8svip
ip addr add 192.168.0.1/24 dev veth0
ip link set dev veth0 up
ip netns exec ${P}k8svip ip addr add 192.168.0.2/24 dev veth1
ip netns exec ${P}k8svip ip link set dev veth1 up
ip netns exec ${P}k8svip ip link set dev lo up
ip link add name br0 type bridge
ip link set br0 up
ip link set dev veth0 master br0
EOF2
