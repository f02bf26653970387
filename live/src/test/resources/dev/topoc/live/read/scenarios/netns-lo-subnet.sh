# 000 "### 配置命名空间" + "### 连接命名空间到外部网络"
ip netns add ${P}host
ip netns add ${P}ns1
ip netns exec ${P}ns1 ip addr add 192.168.1.1/24 dev lo
ip netns exec ${P}ns1 ip link set lo up
ip netns exec ${P}host bash -e <<EOF2
ip link add veth0 type veth peer name veth1
ip link set veth1 netns ${P}ns1
ip netns exec ${P}ns1 ip addr add 192.168.1.2/24 dev veth1
ip netns exec ${P}ns1 ip link set veth1 up
ip addr add 192.168.1.254/24 dev veth0
ip link set veth0 up
EOF2
