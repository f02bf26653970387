#!/usr/bin/env bash
# bench/ansible-machines.sh: 3 machines x N hosts (default 300) deployed with the Ansible playbook, in the
# sandbox (machines are namespaces with their own sshd, the controller a namespace too), against the sum of the
# three machines' apply.sh run directly in their namespaces. Also times the second (changed=0) run and the
# teardown. Root only; namespaces carry a unique prefix and are removed at the end, also after a failure.
#
#   bench/ansible-machines.sh            # N=300
#   N=100 bench/ansible-machines.sh
set -Eeuo pipefail

N=${N:-300}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work=$(mktemp -d /tmp/topoc-bench-ansible.XXXXXX)
P="ba$$-"
out="$work/deploy"

if [ "$(id -u)" != 0 ]; then echo "bench/ansible-machines.sh: must run as root" >&2; exit 1; fi
command -v ansible-playbook >/dev/null 2>&1 || { echo "needs ansible-playbook (Debian package ansible-core)" >&2; exit 1; }

cleanup() {
  if [ -x "$out/sandbox-down.sh" ]; then "$out/sandbox-down.sh" -q || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# one switch per machine with N hosts on its bridge (links inside a machine)
{
  echo "topology bench3"
  for m in 1 2 3; do echo "machine hv$m { ssh 192.0.2.1$m  underlay 198.18.0.$m }"; done
  for m in 1 2 3; do
    echo "node sw$m { machine hv$m"
    echo "  bridge br0 { address 10.$m.0.1/16 }"
    for i in $(seq "$N"); do echo "  iface p$i { master br0 }"; done
    echo "}"
    for i in $(seq "$N"); do
      echo "node m${m}h$i { machine hv$m  iface eth0 { address 10.$m.$((i / 250)).$((i % 250 + 2))/16 } }"
      echo "link m${m}h$i:eth0 -- sw$m:p$i"
    done
  done
} > "$work/bench3.topo"

"$root/topoc" compile "$work/bench3.topo" --target ansible --sandbox --prefix "$P" -o "$out" >/dev/null
"$out/sandbox-up.sh" >/dev/null

# the machine's namespace as its sshd sees it (sandbox-up.sh's in_machine)
in_machine() {
  local ns=$1
  shift
  nsenter "--net=/run/netns/$ns" unshare --mount --propagation unchanged \
    sh -c 'mount --make-rslave /sys && mount -t sysfs sysfs /sys && exec "$@"' sh "$@"
}

secs() { # CMD...: wall seconds of CMD (its output discarded)
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null
  t1=$(date +%s.%N)
  awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.3f\n", a - b }'
}

playbook() { ip netns exec "${P}control" env ANSIBLE_NOCOLOR=1 ansible-playbook -i "$out/inventory.ini" "$out/$1"; }

deploy=$(secs playbook deploy.yml)
again=$(secs playbook deploy.yml)
recap=$(playbook deploy.yml | grep -c 'changed=0' || true)
teardown=$(secs playbook teardown.yml)

direct=0
for m in 1 2 3; do
  t=$(secs in_machine "${P}hv$m" "$out/machines/hv$m/apply.sh" -q)
  direct=$(awk -v a="$direct" -v b="$t" 'BEGIN { printf "%.3f\n", a + b }')
done
for m in 1 2 3; do in_machine "${P}hv$m" "$out/machines/hv$m/destroy.sh" -q; done

printf '3 machines x %s hosts (%s namespaces)\n' "$N" "$((3 * N + 3))"
printf '  playbook deploy            %6.1f s\n' "$deploy"
printf '  playbook again (changed=0) %6.1f s   (%s of 3 hosts changed=0 on a third run)\n' "$again" "$recap"
printf '  playbook teardown          %6.1f s\n' "$teardown"
printf '  sum of the 3 apply.sh      %6.1f s   (run directly in each machine namespace, one after another)\n' "$direct"
printf '  playbook / direct          %6.1fx\n' "$(awk -v a="$deploy" -v b="$direct" 'BEGIN { printf "%.3f\n", a / b }')"
