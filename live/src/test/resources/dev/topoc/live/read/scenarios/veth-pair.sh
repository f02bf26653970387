# 001 "## 网络命名空间" (虚拟网络对)
ip netns add ${P}n1
ip netns add ${P}n2
ip -n ${P}n1 link add veth-n1 type veth peer name veth-n2 netns ${P}n2
ip netns exec ${P}n1 ip address add 10.10.10.1/24 dev veth-n1
ip netns exec ${P}n1 ip link set veth-n1 up
ip netns exec ${P}n2 ip address add 10.10.10.2/24 dev veth-n2
ip netns exec ${P}n2 ip link set veth-n2 up
