#!/usr/bin/env bash
# Benchmark: `topoc simulate FILE --matrix` where no two nodes are alike (issue 14, item 8), against the
# 1,000-host star (whose hosts collapse into one class) in the same run: a binary tree of 1,023 routers
# (`gen-fabric.py tree 10`: 1,045,506 pairs, all reach) and a leaf-spine fabric of 4 spines, 32 leaves and
# 960 routed hosts (`gen-fabric.py leafspine 4 32 30`). CPU time (user + sys) of a fresh process, JVM start
# included, median of RUNS (default 3): the machine is shared, so CPU time is steadier than wall time, and
# the ratio to the star, taken in the same run, steadier still. Target: the tree <= 3x the star.
# With OLD_JAR=path/to/an/older/topoc.jar, also checks that both jars print byte-identical matrices.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${RUNS:-3}"
jar="$root/cli/target/topoc.jar"
"$root/topoc" --version >/dev/null   # builds the jar when needed
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
java_opts=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto)   # as ./topoc runs it

cpu() {   # median CPU seconds of RUNS runs of the command; its output is left in $work/out
  local times=() t
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%U %S" -o "$work/time" "$@" >"$work/out" 2>&1 || { cat "$work/out" >&2; exit 1; }
    t="$(awk '{ printf "%.2f", $1 + $2 }' "$work/time")"
    times+=("$t")
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"
}

cp "$root/samples/star-1000.topo" "$work/star-1000.topo"
python3 "$root/bench/gen-fabric.py" tree 10 >"$work/tree-10.topo"
python3 "$root/bench/gen-fabric.py" leafspine 4 32 30 >"$work/leafspine-4-32-30.topo"
printf '%-20s %7s %11s %11s %8s %9s %s\n' topology nodes pairs reach "cpu s" "x star" identical
star=""
for t in star-1000 tree-10 leafspine-4-32-30; do
  f="$work/$t.topo"
  s="$(cpu java "${java_opts[@]}" -jar "$jar" simulate "$f" --matrix --format json)"
  cp "$work/out" "$work/$t.new.json"
  [ -n "$star" ] || star="$s"
  same="-"
  if [ -n "${OLD_JAR:-}" ]; then
    java "${java_opts[@]}" -jar "$OLD_JAR" simulate "$f" --matrix --format json >"$work/$t.old.json"
    cmp -s "$work/$t.old.json" "$work/$t.new.json" && same=yes || same=NO
  fi
  summary="$(java "${java_opts[@]}" -jar "$jar" simulate "$f" --matrix | head -1)"
  nodes="$(sed -E 's/matrix: ([0-9]+) nodes.*/\1/' <<<"$summary")"
  pairs="$(sed -E 's/.* ([0-9]+) pairs.*/\1/' <<<"$summary")"
  reach="$(sed -E 's/.* ([0-9]+) reach.*/\1/' <<<"$summary")"
  awk -v t="$t" -v n="$nodes" -v p="$pairs" -v r="$reach" -v s="$s" -v b="$star" -v i="$same" \
    'BEGIN { printf "%-20s %7d %11d %11d %8.2f %9.2f %s\n", t, n, p, r, s, s / b, i }'
done
