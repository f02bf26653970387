#!/usr/bin/env bash
# Benchmark: `topoc compile --target bash` against `topoc validate` of the same file, on the hosts-on-bridges
# topologies of gen-topology.py, doubling the size (SIZES, default 12.5k 25k 50k 100k hosts). Prints, per size,
# the median wall time of RUNS runs of each (fresh JVM), compile / validate, and the growth of each per 2x
# hosts: linear generation grows ~2.0x. Target (issue 18, item 13): compile of 100k hosts <= 1.5x its validate.
# Times are CPU seconds (user + system) of the whole JVM, which a loaded machine inflates far less than wall
# time; wall seconds are printed too.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZES="${SIZES:-12500 25000 50000 100000}"
RUNS="${RUNS:-3}"
jar="$root/cli/target/topoc.jar"
"$root/topoc" --version >/dev/null   # builds the jar when needed
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
java_opts=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto)

median() { # "CPU WALL": medians (seconds) of RUNS runs of "$@"
  local cpus=() walls=() u s e
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%U %S %e" -o "$work/time" "$@" >"$work/out" 2>&1 || { cat "$work/out" >&2; exit 1; }
    read -r u s e <"$work/time"
    cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')")
    walls+=("$e")
  done
  printf '%s %s\n' "$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")" \
    "$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")"
}

printf '%8s %14s %14s %10s %14s %14s\n' hosts "validate cpu/wall" "compile cpu/wall" "compile/v" "validate x/2x" "compile x/2x"
pv="" pc=""
for n in $SIZES; do
  f="$work/bench-$n.topo"
  python3 "$root/bench/gen-topology.py" "$n" >"$f"
  read -r v vw < <(median java "${java_opts[@]}" -jar "$jar" validate "$f")
  read -r c cw < <(median java "${java_opts[@]}" -jar "$jar" compile "$f" --target bash --sandbox --prefix b- -o "$work/out-$n")
  rm -rf "$work/out-$n"
  gv="-" gc="-"
  if [[ -n "$pv" ]]; then
    gv=$(awk -v a="$v" -v b="$pv" 'BEGIN { printf "%.2fx", a / b }')
    gc=$(awk -v a="$c" -v b="$pc" 'BEGIN { printf "%.2fx", a / b }')
  fi
  printf '%8d %8.1f/%5.1f %8.1f/%5.1f %10.2f %14s %14s\n' "$n" "$v" "$vw" "$c" "$cw" "$(awk -v a="$c" -v b="$v" 'BEGIN { print a / b }')" "$gv" "$gc"
  pv=$v pc=$c
done
