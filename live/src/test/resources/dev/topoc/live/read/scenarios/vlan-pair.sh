# 001 "### VLAN" (needs 8021q: not run on the project machines, whose kernel lacks it)
ip netns add ${P}ns1
ip netns add ${P}ns2
ip netns exec ${P}ns1 ip link set lo up
ip netns exec ${P}ns2 ip link set lo up
ip -n ${P}ns1 link add veth-ns1 type veth peer name veth-ns2 netns ${P}ns2
ip netns exec ${P}ns1 bash -e <<EOF2
ip address add 172.16.0.1/24 dev veth-ns1
ip link set veth-ns1 up
EOF2
ip netns exec ${P}ns2 bash -e <<EOF2
ip address add 172.16.0.2/24 dev veth-ns2
ip link set veth-ns2 up
EOF2
ip netns exec ${P}ns1 bash -e <<EOF2
ip link add link veth-ns1 name veth-ns1.100 type vlan id 100
ip address add 10.10.10.1/24 dev veth-ns1.100
ip link set veth-ns1.100 up
EOF2
ip netns exec ${P}ns2 bash -e <<EOF2
ip link add link veth-ns2 name veth-ns2.100 type vlan id 100
ip address add 10.10.10.2/24 dev veth-ns2.100
ip link set veth-ns2.100 up
EOF2
