#!/usr/bin/env bash
# Benchmark: the networkd backend writing the tree of a generated topology (default 10,000 hosts on
# ten switch bridges, bench/gen-topology.py), as a fresh `topoc` process (JVM start included), median
# of RUNS. Reports files written, total wall time, files per second, and `topoc validate` on the same
# file (parse + resolve + validate only), so the difference is the backend plus writing the files.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${N:-10000}"
RUNS="${RUNS:-3}"
jar="$root/cli/target/topoc.jar"
"$root/topoc" --version >/dev/null   # builds the jar when needed
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
java_opts=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto)
f="$work/bench-$N.topo"
python3 "$root/bench/gen-topology.py" "$N" >"$f"

median() { sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"; }
# wall seconds of RUNS runs of "$@", median; max RSS (KiB) in $work/rss
measure() {
  local rss=0 t m
  for _ in $(seq "$RUNS"); do
    rm -rf "$work/out"
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/log" 2>&1 || { cat "$work/log" >&2; exit 1; }
    read -r t m <"$work/time"
    echo "$t"
    (( m > rss )) && rss=$m
    echo "$rss" >"$work/rss"
  done | median
}

v=$(measure java "${java_opts[@]}" -jar "$jar" validate "$f")
g=$(measure java "${java_opts[@]}" -jar "$jar" compile-networkd "$f" -o "$work/out")
rss=$(cat "$work/rss")
java "${java_opts[@]}" -jar "$jar" compile-networkd "$f" -o "$work/out" >/dev/null
files=$(find "$work/out" -type f | wc -l)
bytes=$(du -sb "$work/out" | cut -f1)
printf 'topology: %d hosts, %d lines\n' "$N" "$(wc -l <"$f")"
printf 'validate:          %6.2f s\n' "$v"
printf 'compile networkd:  %6.2f s  (%d files, %d MiB, max RSS %d MiB)\n' "$g" "$files" $(( bytes / 1048576 )) $(( rss / 1024 ))
awk -v f="$files" -v g="$g" -v v="$v" 'BEGIN { printf "files per second:  %d (whole run), %d (beyond validate)\n", f / g, f / (g - v) }'
