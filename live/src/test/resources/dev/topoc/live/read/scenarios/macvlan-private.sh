# 001 "### MACVLAN", "#### Private"
ip netns add ${P}ns1
ip netns add ${P}ns2
ip netns add ${P}ns3
ip netns exec ${P}ns1 ip link set lo up
ip netns exec ${P}ns2 ip link set lo up
ip netns exec ${P}ns3 ip link set lo up
# sandbox stand-in for "ip link set ens41 netns ns1" and the LAN behind ens41 (the sample's external node lan)
ip netns add ${P}lan
ip -n ${P}lan link add eth0 type veth peer name ens41 netns ${P}ns1
ip -n ${P}lan address add 10.40.1.254/24 dev eth0
ip -n ${P}lan address add 192.0.2.53/32 dev lo
ip -n ${P}lan link set eth0 up
ip -n ${P}lan link set lo up
ip netns exec ${P}ns1 bash -e <<EOF2
ip address add 10.40.1.246/24 dev ens41
ip link set ens41 up
ip route add default via 10.40.1.254 dev ens41
ip link add ens41m1 link ens41 type macvlan mode private
ip link add ens41m2 link ens41 type macvlan mode private
ip link set ens41m1 netns ${P}ns2
ip link set ens41m2 netns ${P}ns3
EOF2
ip netns exec ${P}ns2 bash -e <<EOF2
ip address add 10.40.1.247/24 dev ens41m1
ip link set ens41m1 up
ip route add default via 10.40.1.254 dev ens41m1
EOF2
ip netns exec ${P}ns3 bash -e <<EOF2
ip address add 10.40.1.248/24 dev ens41m2
ip link set ens41m2 up
ip route add default via 10.40.1.254 dev ens41m2
EOF2
