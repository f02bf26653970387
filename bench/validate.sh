#!/usr/bin/env bash
# Benchmark: `topoc validate` on generated topologies of 1k, 10k and 100k nodes (override with SIZES).
# Reports the median of RUNS wall times (JVM start included), peak memory (max RSS of the process),
# the ratio to a reference run in the same session (`topoc --version`: JVM start and CLI set-up only),
# and the growth factor per 10x nodes. Targets (issue 3): 10k <= 2 s, 100k <= 15 s, growth <= 12x.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZES="${SIZES:-1000 10000 100000}"
RUNS="${RUNS:-3}"
jar="$root/cli/target/topoc.jar"
"$root/topoc" --version >/dev/null   # builds the jar when needed
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
java_opts=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto)

# median wall seconds and max RSS (KiB) of RUNS runs of "$@"
measure() {
  local times=() rss=0 t m
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>&1 || { cat "$work/out" >&2; exit 1; }
    read -r t m <"$work/time"
    times+=("$t")
    (( m > rss )) && rss=$m
  done
  printf '%s %s\n' "$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")" "$rss"
}

read -r ref_t ref_m < <(measure java "${java_opts[@]}" -jar "$jar" --version)
printf 'reference (topoc --version): %.2f s, %d MiB\n' "$ref_t" $(( ref_m / 1024 ))
printf '%8s %8s %10s %9s %9s %8s\n' nodes lines "wall (s)" "x ref" "RSS MiB" growth
prev=""
for n in $SIZES; do
  f="$work/bench-$n.topo"
  python3 "$root/bench/gen-topology.py" "$n" >"$f"
  read -r t m < <(measure java "${java_opts[@]}" -jar "$jar" validate "$f")
  growth="-"
  [[ -n "$prev" ]] && growth="$(awk -v a="$t" -v b="$prev" 'BEGIN { printf "%.1fx", a / b }')"
  printf '%8d %8d %10.2f %9.1f %9d %8s\n' "$n" "$(wc -l <"$f")" "$t" "$(awk -v a="$t" -v b="$ref_t" 'BEGIN { print a / b }')" $(( m / 1024 )) "$growth"
  prev="$t"
done
