# 001 "### IPVLAN", "#### L3" (needs ipvlan: not run on the project machines, whose kernel lacks it)
ip netns add ${P}ns1
ip netns add ${P}ns2
ip netns add ${P}ns3
ip netns exec ${P}ns1 ip link set lo up
ip netns exec ${P}ns2 ip link set lo up
ip netns exec ${P}ns3 ip link set lo up
# sandbox stand-in for "ip link set ens41 netns ns1" and the LAN behind ens41 (the sample's external node lan)
ip netns add ${P}lan
ip -n ${P}lan link add eth0 type veth peer name ens41 netns ${P}ns1
ip -n ${P}lan address add 192.168.7.89/24 dev eth0
ip -n ${P}lan link set eth0 up
ip -n ${P}lan link set lo up
ip -n ${P}lan address add 10.40.1.1/32 dev lo
ip -n ${P}lan route add 192.168.151.0/24 via 192.168.7.220 dev eth0
ip -n ${P}lan route add 192.168.152.0/24 via 192.168.7.220 dev eth0
ip netns exec ${P}ns1 bash -e <<EOF2
ip address add 192.168.7.220/24 dev ens41
ip link set ens41 up
ip route add default via 192.168.7.89 dev ens41
ip link add ipvlan1 link ens41 type ipvlan mode l3
ip link add ipvlan2 link ens41 type ipvlan mode l3
ip link set ipvlan1 netns ${P}ns2
ip link set ipvlan2 netns ${P}ns3
EOF2
ip netns exec ${P}ns2 bash -e <<EOF2
ip address add 192.168.151.10/24 dev ipvlan1
ip link set ipvlan1 up
ip route add default via 192.168.151.254
EOF2
ip netns exec ${P}ns3 bash -e <<EOF2
ip address add 192.168.152.10/24 dev ipvlan2
ip link set ipvlan2 up
ip route add default via 192.168.152.254
EOF2
