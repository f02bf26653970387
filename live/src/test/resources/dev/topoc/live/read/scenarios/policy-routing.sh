# 000 "### 策略路由（Policy Routing）", "### 多网卡环境": the notes' `ip rule add from 192.168.1.100 lookup custom1`
# with table 100 (the sample's number; a name needs /etc/iproute2/rt_tables, which a test does not touch)
ip netns add ${P}router
ip netns add ${P}pc100
ip netns add ${P}pc10
ip netns add ${P}sw
ip netns add ${P}isp1
ip netns add ${P}isp2
ip -n ${P}router link add eth0 type veth peer name p1 netns ${P}sw
ip -n ${P}pc100 link add eth0 type veth peer name p2 netns ${P}sw
ip -n ${P}pc10 link add eth0 type veth peer name p3 netns ${P}sw
ip -n ${P}router link add wan1 type veth peer name eth0 netns ${P}isp1
ip -n ${P}router link add wan2 type veth peer name eth0 netns ${P}isp2
ip netns exec ${P}sw bash -e <<EOF2
ip link add br0 type bridge
for p in p1 p2 p3; do ip link set \$p master br0; ip link set \$p up; done
ip link set br0 up
EOF2
for isp in isp1:192.168.2.1:198.51.100.53 isp2:203.0.113.1:192.0.2.53; do
  IFS=: read n a l <<< "$isp"
  ip -n ${P}$n address add $a/24 dev eth0
  ip -n ${P}$n address add $l/32 dev lo
  ip -n ${P}$n link set eth0 up
  ip -n ${P}$n link set lo up
done
for pc in pc100:192.168.1.100 pc10:192.168.1.10; do
  IFS=: read n a <<< "$pc"
  ip -n ${P}$n address add $a/24 dev eth0
  ip -n ${P}$n link set eth0 up
  ip -n ${P}$n route add default via 192.168.1.1 dev eth0
done
ip netns exec ${P}router bash -e <<EOF2
ip address add 192.168.1.1/24 dev eth0
ip address add 192.168.2.2/24 dev wan1
ip address add 203.0.113.2/24 dev wan2
ip link set eth0 up
ip link set wan1 up
ip link set wan2 up
ip route add default via 203.0.113.1 dev wan2
ip route add default via 192.168.2.1 table 100
ip rule add priority 100 from 192.168.1.100 lookup 100
sysctl -qw net.ipv4.ip_forward=1
iptables -t nat -A POSTROUTING -o wan1 -j MASQUERADE
iptables -t nat -A POSTROUTING -o wan2 -j MASQUERADE
EOF2
