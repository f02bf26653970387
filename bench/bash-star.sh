#!/usr/bin/env bash
# bench/bash-star.sh — the bash backend on the 1,000-host star (samples/star-1000.topo), against two
# reference scripts this benchmark writes for the same star in the same run:
#   per-command: one `ip -n NS ...` process per step (namespace, veth, master, up, address, route)
#   batch:       what one would write by hand: `ip -batch` per namespace, veth peers created straight
#                into their namespaces (SANDBOX.md's fastest way)
# and teardown against an `ip netns del` loop. Needs root; uses only namespaces named b<pid>… and
# deletes them at the end (also on failure).
#
# usage: bench/bash-star.sh         RUNS rounds (default 3), each variant once per round, in turn;
#                                   the best time of each is reported (the machine is shared: noisy)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOSTS=1000
RUNS=${RUNS:-3}
tag="b$$"
work="$(mktemp -d)"

cleanup() {
  local ns cmds=''
  for ns in $(ip netns list | awk '{print $1}' | grep "^$tag" || true); do cmds+="netns del $ns"$'\n'; done
  if [ -n "$cmds" ]; then ip -force -batch - <<< "$cmds" >/dev/null 2>&1 || true; fi
  rm -rf "$work" "/run/topoc/${tag}"*
}
trap cleanup EXIT

now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc; }

addr() { # host i's address: 10.200.0.2 onwards, as `address auto` allocates them
  local n=$(( $1 + 1 ))
  echo "10.200.$(( n / 256 )).$(( n % 256 ))/16"
}

# ---- reference 1: one `ip -n` process per step ------------------------------------------------------
per_command() { # PREFIX
  local p=$1 i
  {
    echo "set -e"
    echo "ip netns add ${p}sw"
    echo "ip -n ${p}sw link set dev lo up"
    echo "ip -n ${p}sw link add br0 type bridge"
    echo "ip -n ${p}sw address add 10.200.0.1/16 dev br0"
    echo "ip -n ${p}sw link set dev br0 up"
    for ((i = 1; i <= HOSTS; i++)); do
      echo "ip netns add ${p}h$i"
      echo "ip -n ${p}h$i link set dev lo up"
      echo "ip -n ${p}sw link add p$i type veth peer name eth0 netns ${p}h$i"
      echo "ip -n ${p}sw link set dev p$i master br0"
      echo "ip -n ${p}sw link set dev p$i up"
      echo "ip -n ${p}h$i address add $(addr "$i") dev eth0"
      echo "ip -n ${p}h$i link set dev eth0 up"
      echo "ip -n ${p}h$i route add default via 10.200.0.1"
    done
  } > "$work/per-command.sh"
}

# ---- reference 2: a hand-written ip -batch per namespace ---------------------------------------------
batch_ref() { # PREFIX
  local p=$1 i
  {
    echo "set -e"
    echo "ip -batch - <<EOF"
    echo "netns add ${p}sw"
    for ((i = 1; i <= HOSTS; i++)); do echo "netns add ${p}h$i"; done
    echo "EOF"
    echo "ip -n ${p}sw -batch - <<EOF"
    echo "link set dev lo up"
    echo "link add br0 type bridge"
    for ((i = 1; i <= HOSTS; i++)); do echo "link add p$i type veth peer name eth0 netns ${p}h$i"; done
    echo "address add 10.200.0.1/16 dev br0"
    echo "link set dev br0 up"
    for ((i = 1; i <= HOSTS; i++)); do echo "link set dev p$i master br0"; echo "link set dev p$i up"; done
    echo "EOF"
    for ((i = 1; i <= HOSTS; i++)); do
      printf 'ip -n %s -batch - <<EOF\nlink set dev lo up\naddress add %s dev eth0\nlink set dev eth0 up\nroute add default via 10.200.0.1\nEOF\n' \
        "${p}h$i" "$(addr "$i")"
    done
  } > "$work/batch.sh"
}

netns_del_loop() { # PREFIX
  local ns
  for ns in $(ip netns list | awk '{print $1}' | grep "^$1" || true); do ip netns del "$ns"; done
}

check() { # PREFIX: the star works (h1 reaches the last host) and has every namespace
  local n
  n=$(ip netns list | grep -c "^$1" || true)
  [ "$n" = $((HOSTS + 1)) ] || { echo "bench: $n namespaces with prefix $1, expected $((HOSTS + 1))" >&2; exit 1; }
  ip netns exec "${1}h1" ping -c1 -W2 "$(addr "$HOSTS" | cut -d/ -f1)" >/dev/null \
    || { echo "bench: ${1}h1 cannot reach h$HOSTS" >&2; exit 1; }
}

settle() { sleep 5; } # let the kernel finish tearing down the last namespaces

echo "bench: generating scripts (topoc compile, references)" >&2
"$root/topoc" compile "$root/samples/star-1000.topo" --target bash --sandbox --prefix "${tag}t-" -o "$work/topoc" >/dev/null
per_command "${tag}c-"
batch_ref "${tag}r-"

min() { if [ -z "${T[$1]:-}" ] || [ "$(echo "$2 < ${T[$1]}" | bc)" = 1 ]; then T[$1]=$2; fi; }
declare -A T
for ((run = 1; run <= RUNS; run++)); do
  echo "bench: round $run of $RUNS" >&2
  t=$(now); bash "$work/topoc/apply.sh" -q; min apply "$(elapsed "$t")"; check "${tag}t-"
  t=$(now); bash "$work/topoc/apply.sh" -q; min reapply "$(elapsed "$t")"
  t=$(now); bash "$work/topoc/destroy.sh" -q; min destroy "$(elapsed "$t")"; settle

  t=$(now); bash "$work/batch.sh"; min batch "$(elapsed "$t")"; check "${tag}r-"
  t=$(now); netns_del_loop "${tag}r-"; min del "$(elapsed "$t")"; settle

  t=$(now); bash "$work/per-command.sh"; min percmd "$(elapsed "$t")"; check "${tag}c-"
  netns_del_loop "${tag}c-"; settle
done

ratio() { echo "scale=2; $1 / $2" | bc; }
printf '%-44s %8s\n' "what (1,000-host star, $(nproc) cores, best of $RUNS)" "seconds"
printf '%-44s %8.2f\n' "topoc apply.sh" "${T[apply]}" \
  "topoc apply.sh again (nothing to do)" "${T[reapply]}" \
  "reference: ip -batch per namespace" "${T[batch]}" \
  "reference: one ip -n per step" "${T[percmd]}" \
  "topoc destroy.sh" "${T[destroy]}" \
  "reference: ip netns del loop" "${T[del]}"
echo
echo "apply / batch reference:       $(ratio "${T[apply]}" "${T[batch]}")x   (target <= 1.1)"
echo "per-command reference / apply: $(ratio "${T[percmd]}" "${T[apply]}")x   (target >= 3)"
echo "destroy / netns del loop:      $(ratio "${T[destroy]}" "${T[del]}")x   (target <= 1.2)"
