#!/usr/bin/env bash
# bench/check-live-machines.sh: `topoc check --live` of a topology across two machines (the sandbox: machines are
# namespaces with their own sshd, the controller a namespace too) with 10 expects, against `topoc plan` of the same
# lab (the dry run check --live starts with) and against `check --live` of the same nodes on one host. Wall
# seconds, median of RUNS (default 3), and the load average. Root only; the labs carry a unique prefix and are
# taken down at the end, also after a failure.
#
#   bench/check-live-machines.sh
#   RUNS=5 bench/check-live-machines.sh
set -Eeuo pipefail

RUNS=${RUNS:-3}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work=$(mktemp -d /tmp/topoc-bench-checklive.XXXXXX)
P="bc$$-"
S="bs$$-"

if [ "$(id -u)" != 0 ]; then echo "bench/check-live-machines.sh: must run as root" >&2; exit 1; fi
command -v ansible-playbook >/dev/null 2>&1 || { echo "needs ansible-playbook (Debian package ansible-core)" >&2; exit 1; }

cleanup() {
  "$root/topoc" down --lab "clm@$P" >/dev/null 2>&1 || true
  "$root/topoc" down --lab "cls@$S" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

nodes='node a { MA  iface eth0 { address 10.9.0.1/24 }  route 10.9.3.0/24 via 10.9.0.2 }
node b { MB  forwarding  iface eth0 { address 10.9.0.2/24 }  iface eth3 { address 10.9.3.1/24 } }
node d { MA  iface eth0 { address 10.9.3.2/24 }  route default via 10.9.3.1  listen tcp 8080  run "python3 -m http.server 8080" }
link a:eth0 -- b:eth0
link b:eth3 -- d:eth0
expect a -> b reach
expect a -> d reach via b lands d
expect a -> d tcp 8080 reach via b lands d
expect a -> d tcp 8081 noreach
expect b -> a reach
expect b -> d reach
expect d -> a reach via b
expect d -> b tcp 8080 noreach
expect a -> d icmp size 1400 df reach
expect d -> a tcp 8080 noreach'
{
  echo "topology clm"
  echo "machine hv1 { ssh 192.0.2.11  underlay 198.18.0.1 }"
  echo "machine hv2 { ssh 192.0.2.12  underlay 198.18.0.2 }"
  printf '%s\n' "$nodes" | sed 's/MA/machine hv1/; s/MB/machine hv2/'
} > "$work/clm.topo"
{
  echo "topology cls"
  printf '%s\n' "$nodes" | sed 's/MA//; s/MB//'
} > "$work/cls.topo"

secs() { # CMD...: wall seconds of CMD (its output discarded; exit 0 or 3 expected)
  local t0 t1 rc=0
  t0=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || rc=$?
  t1=$(date +%s.%N)
  if [ "$rc" != 0 ]; then echo "bench/check-live-machines.sh: $* exited $rc" >&2; exit 1; fi
  awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.2f\n", a - b }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
times() { # CMD...: RUNS wall times, their median
  local i
  for i in $(seq "$RUNS"); do secs "$@"; done | median
}

t=("$root/topoc")
"${t[@]}" up "$work/clm.topo" --sandbox --prefix "$P" >/dev/null 2>&1
"${t[@]}" up "$work/cls.topo" --sandbox --prefix "$S" >/dev/null 2>&1
sleep 1 # the http.server of d

load0=$(cut -d' ' -f1 /proc/loadavg)
plan=$(times "${t[@]}" plan "$work/clm.topo" --sandbox --prefix "$P")
live=$(times "${t[@]}" check "$work/clm.topo" --live --sandbox --prefix "$P")
single=$(times "${t[@]}" check "$work/cls.topo" --live --sandbox --prefix "$S")
load1=$(cut -d' ' -f1 /proc/loadavg)
phases=$(JAVA_TOOL_OPTIONS=-Dtopoc.phases=true "${t[@]}" check "$work/clm.topo" --live --sandbox --prefix "$P" 2>&1 >/dev/null)
dry=$(printf '%s\n' "$phases" | awk '$3 == "dry" { print $6 }')
probes=$(printf '%s\n' "$phases" | awk '$3 == "check.yml" { print $5 }')
"${t[@]}" check "$work/clm.topo" --live --sandbox --prefix "$P" | tail -1

printf '2 machines, 3 nodes, 10 expects (median of %s; load average %s at the start, %s at the end)\n' "$RUNS" "$load0" "$load1"
printf '  topoc plan (deploy.yml --check)        %6.1f s\n' "$plan"
printf '  topoc check --live across machines     %6.1f s   (the plan, then check.yml)\n' "$live"
printf '  one more run: its dry run %5.1f s, check.yml %5.1f s (-Dtopoc.phases=true)\n' "$dry" "$probes"
printf '  topoc check --live, same nodes, 1 host %6.1f s\n' "$single"
