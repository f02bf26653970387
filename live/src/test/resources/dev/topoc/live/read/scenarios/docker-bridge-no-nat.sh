# 001 "## Docker bridge"
ip netns add ${P}docker
ip netns add ${P}nginx
ip netns add ${P}gitlab
ip netns exec ${P}docker ip link set lo up
ip netns exec ${P}nginx  ip link set lo up
ip netns exec ${P}gitlab ip link set lo up
# sandbox stand-in for "ip link set ens41 netns docker" and the network behind it (the sample's external upstream)
ip netns add ${P}upstream
ip -n ${P}upstream link add eth0 type veth peer name ens41 netns ${P}docker
ip -n ${P}upstream address add 192.168.54.51/24 dev eth0
ip -n ${P}upstream address add 192.0.2.53/32 dev lo
ip -n ${P}upstream link set eth0 up
ip -n ${P}upstream link set lo up
ip netns exec ${P}docker bash -e <<EOF2
ip address add 192.168.54.230/24 dev ens41
ip link set ens41 up
ip route add default via 192.168.54.51 dev ens41
ip link add docker0 type bridge
ip address add 172.17.0.1/16 dev docker0
ip link set docker0 up
ip link add veth-nginx type veth peer name eth0 netns ${P}nginx
ip link set veth-nginx master docker0
ip link set veth-nginx up
ip link add veth-gitlab type veth peer name eth0 netns ${P}gitlab
ip link set veth-gitlab master docker0
ip link set veth-gitlab up
EOF2
ip netns exec ${P}nginx bash -e <<EOF2
ip address add 172.17.10.10/16 dev eth0
ip link set eth0 up
ip route add default via 172.17.0.1 dev eth0
EOF2
ip netns exec ${P}gitlab bash -e <<EOF2
ip address add 172.17.10.20/16 dev eth0
ip link set eth0 up
ip route add default via 172.17.0.1 dev eth0
EOF2
# the docker namespace forwards (as Docker's host does: the notes' pings to 8.8.8.8 leave through it)
ip netns exec ${P}docker sysctl -qw net.ipv4.ip_forward=1
ip netns exec ${P}docker iptables -P FORWARD ACCEPT
