# 001 "### VLAN", through the sample's bridge and with its mismatched id (needs 8021q: not run on the project machines)
ip netns add ${P}ns1
ip netns add ${P}ns2
ip netns add ${P}sw
ip -n ${P}ns1 link add veth-ns1 type veth peer name p1 netns ${P}sw
ip -n ${P}ns2 link add veth-ns2 type veth peer name p2 netns ${P}sw
ip netns exec ${P}sw bash -e <<EOF2
ip link add br0 type bridge
ip link set p1 master br0
ip link set p2 master br0
ip link set p1 up
ip link set p2 up
ip link set br0 up
EOF2
ip netns exec ${P}ns1 bash -e <<EOF2
ip address add 172.16.0.1/24 dev veth-ns1
ip link set veth-ns1 up
ip link add link veth-ns1 name veth-ns1.100 type vlan id 100
ip address add 10.10.10.1/24 dev veth-ns1.100
ip link set veth-ns1.100 up
ip link add link veth-ns1 name veth-ns1.200 type vlan id 200
ip address add 10.20.20.1/24 dev veth-ns1.200
ip link set veth-ns1.200 up
EOF2
ip netns exec ${P}ns2 bash -e <<EOF2
ip address add 172.16.0.2/24 dev veth-ns2
ip link set veth-ns2 up
ip link add link veth-ns2 name veth-ns2.100 type vlan id 100
ip address add 10.10.10.2/24 dev veth-ns2.100
ip link set veth-ns2.100 up
ip link add link veth-ns2 name veth-ns2.300 type vlan id 300
ip address add 10.20.20.2/24 dev veth-ns2.300
ip link set veth-ns2.300 up
EOF2
