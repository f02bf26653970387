# 002 "### bridge 连通外网"
ip netns add ${P}host
ip netns add ${P}ns1
ip netns add ${P}ns2
# sandbox stand-in for the host's enp0s3 and the network behind it (the sample's external node outside)
ip netns add ${P}outside
ip -n ${P}outside link add eth0 type veth peer name enp0s3 netns ${P}host
ip -n ${P}outside address add 10.0.2.2/24 dev eth0
ip -n ${P}outside address add 192.0.2.53/32 dev lo
ip -n ${P}outside link set eth0 up
ip -n ${P}outside link set lo up
ip netns exec ${P}host bash -e <<EOF2
ip address add 10.0.2.15/24 dev enp0s3
ip link set enp0s3 up
ip route add default via 10.0.2.2 dev enp0s3
sysctl -qw net.ipv4.ip_forward=1
ip link add dev br0 type bridge
ip link add dev my_veth0 type veth peer name my_veth0_peer
ip link set my_veth0 netns ${P}ns1
ip link set my_veth0_peer master br0
ip link add dev my_veth1 type veth peer name my_veth1_peer
ip link set my_veth1 netns ${P}ns2
ip link set my_veth1_peer master br0
ip netns exec ${P}ns1 ip addr add 192.168.1.2/24 dev my_veth0
ip netns exec ${P}ns2 ip addr add 192.168.1.3/24 dev my_veth1
ip addr add 192.168.1.1/24 dev br0
ip netns exec ${P}ns1 ip link set dev my_veth0 up
ip link set dev my_veth0_peer up
ip netns exec ${P}ns2 ip link set dev my_veth1 up
ip link set dev my_veth1_peer up
ip link set br0 up
ip netns exec ${P}ns1 ip route add default via 192.168.1.1 dev my_veth0
ip netns exec ${P}ns2 ip route add default via 192.168.1.1 dev my_veth1
EOF2
