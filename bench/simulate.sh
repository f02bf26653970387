#!/usr/bin/env bash
# Benchmark: `topoc simulate FILE --matrix` on star topologies of 100, 1,000 and 5,000 hosts on one bridge
# (override with SIZES), written like samples/star-1000.topo (ranges, `address auto`). Every node pings
# every other node: (hosts + 1) * hosts pairs. Reports the median wall time of RUNS fresh processes (JVM
# start included), pairs per second, and ratios to two reference runs in the same session: `topoc
# --version` (JVM start) and `topoc validate FILE` (parse, resolve, validate the same file; the matrix run
# does all of that too, so "sim s" = matrix - validate is the simulator's own share).
# Target (issue 7): the 1,000-host matrix (about a million pairs) in <= 5 s on the 2-core machine.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZES="${SIZES:-100 1000 5000}"
RUNS="${RUNS:-3}"
jar="$root/cli/target/topoc.jar"
"$root/topoc" --version >/dev/null   # builds the jar when needed
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
java_opts=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto)   # as ./topoc runs it

measure() {
  local times=() t
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e" -o "$work/time" "$@" >"$work/out" 2>&1 || { cat "$work/out" >&2; exit 1; }
    read -r t <"$work/time"
    times+=("$t")
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"
}

star() {
  cat <<TOPO
topology star-$1
node sw {
  bridge br0 { address 10.200.0.1/16  subnet 10.200.0.0/16 }
  iface p[1..$1] { master br0 }
}
node h[1..$1] {
  iface eth0 { address auto }
  route default via 10.200.0.1
}
link h[1..$1]:eth0 -- sw:p[1..$1]
TOPO
}

ref="$(measure java "${java_opts[@]}" -jar "$jar" --version)"
printf 'reference (topoc --version): %.2f s\n' "$ref"
printf '%7s %11s %10s %10s %8s %8s %14s %14s\n' hosts pairs "matrix s" "validate s" "sim s" "x ref" "pairs/s" "pairs/s (sim)"
for n in $SIZES; do
  f="$work/star-$n.topo"
  star "$n" >"$f"
  v="$(measure java "${java_opts[@]}" -jar "$jar" validate "$f")"
  m="$(measure java "${java_opts[@]}" -jar "$jar" simulate "$f" --matrix)"
  head -1 "$work/out" | grep -q "reach, 0 do not" || { echo "unexpected matrix: $(head -1 "$work/out")" >&2; exit 1; }
  pairs=$(( (n + 1) * n ))
  awk -v n="$n" -v p="$pairs" -v m="$m" -v v="$v" -v r="$ref" 'BEGIN {
    s = m - v; if (s < 0.01) s = 0.01
    printf "%7d %11d %10.2f %10.2f %8.2f %8.1f %14.0f %14.0f\n", n, p, m, v, s, m / r, p / m, p / s }'
done
