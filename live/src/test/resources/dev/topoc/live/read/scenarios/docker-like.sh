# 003 "docker里的网络拓扑结构". The notes leave out what the sample completes: `ip netns add blue`, the
# containers' addresses, default routes and `up`; `brctl addbr br0` is `ip link add br0 type bridge` (no brctl here).
ip netns add ${P}host
ip netns add ${P}outside
# the notes' `ip netns add red` (and the blue one they forget), from the default mount namespace: inside
# `ip netns exec host` a new namespace's mount would stay private to that session
ip netns add ${P}red
ip netns add ${P}blue
# sandbox stand-in for the host's eth0 and the network behind it (the sample's external node outside)
ip -n ${P}outside link add eth0 type veth peer name eth0 netns ${P}host
ip -n ${P}outside address add 10.211.55.1/24 dev eth0
ip -n ${P}outside address add 192.0.2.53/32 dev lo
ip -n ${P}outside link set eth0 up
ip -n ${P}outside link set lo up
ip netns exec ${P}host bash -e <<EOF2
ip address add 10.211.55.6/24 dev eth0
ip link set eth0 up
ip route add default via 10.211.55.1 dev eth0
iptables -A FORWARD -j ACCEPT
bash -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
ip link add br0 type bridge
ip link add veth-red type veth peer name veth-red-br
ip link add veth-blue type veth peer name veth-blue-br
ip link set veth-red netns ${P}red
ip link set veth-blue netns ${P}blue
ip link set veth-red-br master br0
ip link set veth-blue-br master br0
ip addr add 192.168.15.5/24 dev br0
iptables -t nat -A POSTROUTING -s 192.168.15.0/24 -j MASQUERADE
ip link set br0 up
ip link set veth-red-br up
ip link set veth-blue-br up
ip netns exec ${P}red ip addr add 192.168.15.2/24 dev veth-red
ip netns exec ${P}red ip link set veth-red up
ip netns exec ${P}red ip route add default via 192.168.15.5
ip netns exec ${P}blue ip addr add 192.168.15.3/24 dev veth-blue
ip netns exec ${P}blue ip link set veth-blue up
ip netns exec ${P}blue ip route add default via 192.168.15.5
EOF2
