# 002 "### net namespace 连接外网的过程记录" (the whole record, with the fix)
ip netns add ${P}host
ip netns add ${P}k8svip
# sandbox stand-in for the host's eth0 and the network behind it (the sample's external node outside)
ip netns add ${P}outside
ip -n ${P}outside link add eth0 type veth peer name eth0 netns ${P}host
ip -n ${P}outside address add 192.168.1.1/24 dev eth0
ip -n ${P}outside address add 10.151.116.190/32 dev lo
ip -n ${P}outside link set eth0 up
ip -n ${P}outside link set lo up
ip netns exec ${P}host bash -e <<EOF2
ip address add 192.168.1.10/24 dev eth0
ip link set eth0 up
ip route add default via 192.168.1.1 dev eth0
sysctl -qw net.ipv4.ip_forward=1
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
ip addr del 192.168.0.1/24 dev veth0
ip addr add 192.168.0.1/24 dev br0
ip netns exec ${P}k8svip ip route add default via 192.168.0.1
iptables -t nat -A POSTROUTING  -s 192.168.0.0/24 -j MASQUERADE
EOF2
