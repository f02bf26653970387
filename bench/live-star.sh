#!/usr/bin/env bash
# bench/live-star.sh — topoc up and plan on the 1,000-host star (samples/star-1000.topo), against references
# measured in the same run (issue 12):
#   up from nothing        vs  the star's own apply.sh (topoc compile --target bash --sandbox)
#   plan of the running star  vs  a shell loop reading the same state: per namespace one
#                                 `nsenter --net=… ip -j -batch` of link, addr, route, rule
#   up of a one-host edit  vs  that plan (+ 0.5 s is the target)
# Every topoc run is a fresh process (JVM start included). Needs root; uses only namespaces named l<pid>… and
# a record folder of its own ($TOPOC_LIVE_DIR), deleted at the end (also on failure).
#
# usage: sudo bench/live-star.sh      RUNS rounds (default 3), the median of each figure; TOPOC_JAR=… measures another
#        jar, TOPOC_CDS=0 without the launcher's class-data archive
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS=${RUNS:-3}
tag="l$$"
work="$(mktemp -d)"
export TOPOC_LIVE_DIR="$work/records"

cleanup() {
  local ns cmds=''
  for ns in $(ip netns list | awk '{print $1}' | grep "^$tag" || true); do cmds+="netns del $ns"$'\n'; done
  if [ -n "$cmds" ]; then ip -force -batch - <<< "$cmds" >/dev/null 2>&1 || true; fi
  rm -rf "$work" "/run/topoc/${tag}"*
}
trap cleanup EXIT

now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc; }
declare -A T C TS CS
# median of the numbers given
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
# timed NAME CMD…: wall and CPU seconds (user + system of CMD and every process it waited for); T and C hold the
# median of every measurement of NAME so far; CMD's exit code is kept in $code
timed() {
  local name=$1; shift
  code=0; /usr/bin/time -f '%e %U %S' -o "$work/time" "$@" || code=$?
  local w u s; read -r w u s < <(tail -1 "$work/time")
  TS[$name]="${TS[$name]:-} $w"
  CS[$name]="${CS[$name]:-} $(echo "$u + $s" | bc)"
  # shellcheck disable=SC2086
  T[$name]=$(median ${TS[$name]}); C[$name]=$(median ${CS[$name]})
  echo "bench: $name wall $w cpu $(echo "$u + $s" | bc)" >&2
}

# TOPOC_JAR: a jar to measure instead of this tree's (e.g. a copy of the previous build, for a before/after table)
if [ -z "${TOPOC_JAR:-}" ]; then
  "$root/topoc" --version >/dev/null # builds the jar when a source is newer
  TOPOC_JAR="$root/cli/target/topoc.jar"
fi
# the JVM flags of the ./topoc launcher (what a user runs), with its class-data archive for the jar measured (made
# now when missing; TOPOC_CDS=0: without, as the launcher ran before it had one)
CDS=''
if [ "${TOPOC_CDS:-1}" != 0 ] && "$root/topoc" --launcher-archive "$TOPOC_JAR"; then
  CDS="-XX:SharedArchiveFile=${TOPOC_JAR%.jar}.jsa"
fi
echo "bench: $TOPOC_JAR, class-data archive: ${CDS:-none}" >&2
topoc() { java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto $CDS -jar "$TOPOC_JAR" "$@"; }
export -f topoc
export root TOPOC_JAR CDS
star="$root/samples/star-1000.topo"
# the one-host edit: h1000 written out on its own, with one more route (its address stays: auto allocates in order)
edited="$work/star-1000.topo"
sed -e 's/^node h\[1\.\.1000\] {/node h[1..999] {/' "$star" > "$edited"
printf 'node h1000 {\n  iface eth0 { address auto }\n  route default via 10.200.0.1\n  route 10.50.0.0/16 via 10.200.0.1\n}\n' >> "$edited"
topoc compile "$star" --target bash --sandbox --prefix "${tag}a-" -o "$work/bash" >/dev/null

read_loop() { # PREFIX: the reference reader
  local ns
  for ns in $(ip netns list | awk '{print $1}' | grep "^$1"); do
    nsenter --net="/run/netns/$ns" ip -j -batch - <<< $'link show\naddr show\nroute show table all\nrule show' > /dev/null
  done
}
export -f read_loop

settle() { sleep 5; }
opts=(--sandbox --prefix "${tag}u-")
for ((run = 1; run <= RUNS; run++)); do
  echo "bench: round $run of $RUNS" >&2
  timed apply bash "$work/bash/apply.sh" -q
  bash "$work/bash/destroy.sh" -q; settle

  timed up bash -c 'topoc up "$@" > /dev/null 2>&1' _ "$star" "${opts[@]}"
  ip netns exec "${tag}u-h1" ping -c1 -W2 10.200.3.233 > /dev/null || { echo "bench: h1 cannot reach h1000" >&2; exit 1; }

  # back to back: the reference loop, plan, the loop again, plan again (the load of this shared machine changes)
  echo "bench: load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  for _ in 1 2; do
    timed readloop bash -c 'read_loop "$1"' _ "${tag}u-"
    timed plan bash -c 'topoc plan "$@" > /dev/null' _ "$star" "${opts[@]}"
    [ "$code" = 0 ] || { echo "bench: plan of the running star exits $code, expected 0 (in sync)" >&2; exit 1; }
  done

  timed upedit bash -c 'topoc up "$@" > "$0" 2>&1' "$work/up-edit.txt" "$edited" "${opts[@]}" --replace
  grep -q "^lab star-1000@${tag}u-: 1 change$" "$work/up-edit.txt" \
    || { echo "bench: the one-host edit is not one change:" >&2; head -5 "$work/up-edit.txt" >&2; exit 1; }

  timed down bash -c 'topoc down --lab "$1" > /dev/null' _ "star-1000@${tag}u-"; settle
done

ratio() { echo "scale=2; $1 / $2" | bc; }
printf '%-52s %8s %8s\n' "what (1,000-host star, $(nproc) cores, median of $RUNS)" "wall s" "cpu s"
row() { printf '%-52s %8.2f %8.2f\n' "$1" "${T[$2]}" "${C[$2]}"; }
row "apply.sh from nothing" apply
row "topoc up from nothing" up
row "reference: nsenter ip -j -batch per namespace" readloop
row "topoc plan (in sync)" plan
row "topoc up of a one-host edit (1 change)" upedit
row "topoc down" down
echo
echo "load average at the end: $(cut -d" " -f1-3 /proc/loadavg)"
echo "                                  wall      cpu"
echo "up from nothing / apply.sh:      $(ratio "${T[up]}" "${T[apply]}")x    $(ratio "${C[up]}" "${C[apply]}")x   (target <= 1.1)"
echo "plan / reference read loop:      $(ratio "${T[plan]}" "${T[readloop]}")x    $(ratio "${C[plan]}" "${C[readloop]}")x   (target <= 1.5)"
echo "up one-host edit - plan:         $(echo "${T[upedit]} - ${T[plan]}" | bc) s   $(echo "${C[upedit]} - ${C[plan]}" | bc) s   (target <= 0.5)"
