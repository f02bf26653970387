# 003 "veth-pair" part (the notes' `ip link addr add` is `ip addr add`; veth-test2's address is set where it lives)
ip netns add ${P}host
ip netns add ${P}test_veth
ip netns exec ${P}host bash -e <<EOF2
ip link add veth-test type veth peer name veth-test2
ip link set veth-test2 netns ${P}test_veth
ip link set veth-test up
ip netns exec ${P}test_veth ip link set veth-test2 up
ip addr add 10.11.13.3/24 dev veth-test
ip netns exec ${P}test_veth ip addr add 10.11.14.4/24 dev veth-test2
ip route add 10.11.14.0/24 dev veth-test
ip netns exec ${P}test_veth ip route add default dev veth-test2
EOF2
