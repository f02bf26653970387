# 001 "### lo（回环接口）"
ip netns add ${P}n1
ip netns exec ${P}n1 ip link set lo up
