#!/usr/bin/env bash
# Times `podium build` against `hugo` on a generated hub, interleaved.
#
#   bench/run.sh SIZE [RUNS]        SIZE: tiny | small | medium | large; RUNS default 3
#
# Environment: SEED (default 1), BENCH_WORK (default /tmp/podium-bench; generated hubs are
# cached there by size, seed and generator version), NO_HUGO=1 to skip Hugo,
# BUILD_TIMEOUT (seconds per build, default 1800), SECOND_RUNS (number of "nothing changed"
# builds, default RUNS; 0 skips them), NO_BUILD=1 to time the existing binary without running
# cargo (e.g. while the tree is mid-merge), PROFILE (cargo profile to build and time, default
# `dist`: the release build with whole-program optimisation), CARGO_TARGET_DIR (honoured as
# cargo does, default target/), SETTLE (seconds to leave the disk alone after the previous
# run deleted its outputs, default 400; 0 skips the wait).
#
# Each run: a full build into an empty output folder, podium then hugo, timed with
# /usr/bin/time (wall, user+sys CPU, peak RSS), and the output checked by check.py against
# the generator's expected.json (every page present, sampled pages carry their title and
# body) — a run whose output fails the check aborts the benchmark. Full builds start without
# Podium's build cache (`.podium-cache/build/` is removed first), as on a fresh clone. Then
# SECOND_RUNS "second builds with nothing changed" (same output folder, left in place, and
# the cache the previous build left), and as many builds after appending a sentence to one
# post (the post is restored afterwards). Prints medians and the ratios.
set -euo pipefail

SIZE=${1:?usage: bench/run.sh SIZE [RUNS]}
RUNS=${2:-3}
SEED=${SEED:-1}
WORK=${BENCH_WORK:-/tmp/podium-bench}
TIMEOUT=${BUILD_TIMEOUT:-1800}
SECOND_RUNS=${SECOND_RUNS:-$RUNS}
NOW=2026-01-01T00:00:00Z

BENCH=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$BENCH/.." && pwd)

case $SIZE in tiny|small|medium|large) ;; *) echo "unknown size: $SIZE" >&2; exit 2 ;; esac

if [ ! -x /usr/bin/time ]; then
  echo "installing GNU time…" >&2
  apt-get install -y time >/dev/null
fi

PROFILE=${PROFILE:-dist}
if [ -z "${NO_BUILD:-}" ]; then
  echo "== building podium ($PROFILE profile)" >&2
  (cd "$REPO" && nice -n 10 cargo build --profile "$PROFILE" --quiet)
fi
# `--profile release` builds into target/release, any other profile into target/NAME.
PODIUM=${CARGO_TARGET_DIR:-$REPO/target}/$PROFILE/podium
[ -x "$PODIUM" ] || { echo "$PODIUM missing: build it, or drop NO_BUILD" >&2; exit 1; }

HUGO_BIN=$(command -v hugo || true)
if [ -n "${NO_HUGO:-}" ]; then HUGO_BIN=""; fi
if [ -z "$HUGO_BIN" ]; then
  echo "hugo not found (or NO_HUGO set): timing podium only (apt-get install -y hugo)" >&2
fi

GEN_VERSION=$(sha1sum "$BENCH/generate.py" | cut -c1-10)
CASE=$WORK/$SIZE-seed$SEED-$GEN_VERSION
HUB=$CASE/hub
HUGO_SITE=$CASE/hugo
mkdir -p "$CASE"
if [ ! -f "$HUB/expected.json" ]; then
  echo "== generating $SIZE hub (seed $SEED) into $HUB" >&2
  nice -n 10 timeout 3600 python3 "$BENCH/generate.py" "$SIZE" "$HUB" --seed "$SEED" --force
fi
if [ -n "$HUGO_BIN" ] && [ ! -f "$HUGO_SITE/expected.json" ]; then
  echo "== generating the equivalent Hugo site into $HUGO_SITE" >&2
  nice -n 10 timeout 3600 python3 "$BENCH/generate.py" "$SIZE" "$HUGO_SITE" --seed "$SEED" --hugo --force
fi

OUT=$CASE/out-podium
OUT2=$CASE/out-hugo
RESULTS=$CASE/results-$(date -u +%Y%m%dT%H%M%SZ).tsv
TIMES=$(mktemp)
trap 'rm -f "$TIMES"' EXIT
printf 'tool\tphase\trun\twall_s\tuser_s\tsys_s\tmaxrss_kb\n' >"$RESULTS"

# timed TOOL PHASE RUN -- command…: runs it under /usr/bin/time, appends a row to RESULTS.
timed() {
  local tool=$1 phase=$2 run=$3
  shift 4
  if ! timeout "$TIMEOUT" /usr/bin/time -o "$TIMES" -f '%e %U %S %M' "$@" >"$CASE/last.log" 2>&1; then
    echo "FAILED: $tool $phase run $run (see $CASE/last.log):" >&2
    tail -20 "$CASE/last.log" >&2
    exit 1
  fi
  read -r wall user sys rss <"$TIMES"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$phase" "$run" "$wall" "$user" "$sys" "$rss" >>"$RESULTS"
  awk -v t="$tool" -v p="$phase" -v n="$run" -v w="$wall" -v u="$user" -v s="$sys" -v m="$rss" \
    'BEGIN { printf "  %-6s %-6s run %s: %6.2f s wall, %6.2f s CPU, %5d MB peak\n", t, p, n, w, u + s, m / 1024 }' >&2
}

# warm DIR: reads every file under DIR (and each tool reads its binary), so a build reads its
# sources from memory, as it would right after they were written or edited. This machine
# pages out memory (page cache too) left untouched for about a minute (DAMON reclaim:
# `/sys/kernel/mm/damon`), and a run that read half its sources from the disk timed the disk.
warm() { find "$1" -type f -print0 | xargs -0 cat >/dev/null; }

# flush_writes: writes out what earlier builds left in the page cache. The kernel writes a
# build's files out in the 5–30 s after it ends, which is during the next tool's timed
# build: Hugo's 250 MB landed in Podium's build and Podium's 350 MB in Hugo's, and a build
# whose disk was busy writing out the other tool's files took 1.3–1.5× as long (mostly
# kernel time: ext4's locks and the writeback's own CPU). Each build is timed from a clean
# page cache instead.
flush_writes() { sync; }

podium_build() {
  warm "$HUB" && cat "$PODIUM" >/dev/null && flush_writes
  timed podium "$1" "$2" -- "$PODIUM" build --root "$HUB" --output "$OUT" --now "$NOW"
}
hugo_build() {
  warm "$HUGO_SITE" && cat "$HUGO_BIN" >/dev/null && flush_writes
  timed hugo "$1" "$2" -- "$HUGO_BIN" --source "$HUGO_SITE" --destination "$OUT2" --quiet
}

# make_way DIR: empties the way for a full build into DIR. The old tree is moved aside and
# only deleted at the end of the run, when nothing is timed any more: freeing tens of
# thousands of inodes right before a build makes ext4 check recently freed inodes
# (`recently_deleted`) for every file the build creates, which multiplied both tools' kernel
# time here and measured the disk, not the tool. DELETE_BEFORE=1 deletes right before each
# build instead.
make_way() {
  if [ -n "${DELETE_BEFORE:-}" ]; then
    rm -rf "$1"
  elif [ -e "$1" ]; then
    mv "$1" "$1.old-$$-$(date +%s%N)"
  fi
}

# The previous run's deletions (see make_way) still slow every file this run would create,
# for up to 6 minutes (see "The disk" in README.md): wait them out. SETTLE=0 skips the wait.
SETTLE=${SETTLE:-400}
STAMP=$WORK/.last-deletion
if [ -f "$STAMP" ]; then
  wait_s=$(( $(stat -c %Y "$STAMP") + SETTLE - $(date +%s) ))
  if [ "$wait_s" -gt 0 ]; then
    echo "== waiting ${wait_s} s for the disk to settle after the last run's deletions" >&2
    sleep "$wait_s"
  fi
fi

echo "== $SIZE: $RUNS interleaved full builds (load average: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
for run in $(seq 1 "$RUNS"); do
  make_way "$OUT"
  rm -rf "$HUB/.podium-cache/build"
  podium_build full "$run"
  python3 "$BENCH/check.py" "$HUB/expected.json" "$OUT" | sed 's/^/    podium output: /' >&2
  [ "${PIPESTATUS[0]}" -eq 0 ] || exit 1
  if [ -n "$HUGO_BIN" ]; then
    make_way "$OUT2"
    hugo_build full "$run"
    python3 "$BENCH/check.py" "$HUGO_SITE/expected.json" "$OUT2" | sed 's/^/    hugo output:   /' >&2
    [ "${PIPESTATUS[0]}" -eq 0 ] || exit 1
  fi
done

echo "== $SIZE: $SECOND_RUNS second builds with nothing changed (output folder kept)" >&2
for run in $(seq 1 "$SECOND_RUNS"); do
  podium_build again "$run"
  python3 "$BENCH/check.py" "$HUB/expected.json" "$OUT" --quick >/dev/null
  if [ -n "$HUGO_BIN" ]; then hugo_build again "$run"; fi
done
EDITED=$(find "$HUB/content/news" -name '*.md' ! -name _index.md | sort | awk '{ f[NR] = $0 } END { print f[int((NR + 1) / 2)] }')
cp "$EDITED" "$CASE/edited.md.orig"
echo "== $SIZE: $SECOND_RUNS builds after editing one post ($(basename "$EDITED"))" >&2
for run in $(seq 1 "$SECOND_RUNS"); do
  printf '\nEdited in run %s.\n' "$run" >>"$EDITED"
  podium_build edit "$run"
  python3 "$BENCH/check.py" "$HUB/expected.json" "$OUT" --quick >/dev/null
  grep -q "Edited in run $run" "$OUT/news/$(basename "$EDITED" .md)/index.html"
done
cp "$CASE/edited.md.orig" "$EDITED"
# Deleted last, when nothing is timed any more; the stamp makes the next run wait.
rm -rf "$OUT".old-* "$OUT2".old-*
touch "$STAMP"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg); raw numbers: $RESULTS" >&2

python3 - "$RESULTS" "$SIZE" "$(nproc)" <<'EOF'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
size, cores = sys.argv[2], sys.argv[3]
def med(tool, phase, f):
    xs = [f(r) for r in rows if r["tool"] == tool and r["phase"] == phase]
    return statistics.median(xs) if xs else None
stats = {}
print(f"\n{size} hub, {cores} cores, medians of {sum(1 for r in rows if r['tool'] == 'podium' and r['phase'] == 'full')} runs")
print(f"{'':24}{'wall s':>9}{'CPU s':>9}{'peak MB':>9}")
for tool in ("podium", "hugo"):
    for phase, label in (("full", "full build"), ("again", "nothing changed"), ("edit", "one post edited")):
        wall = med(tool, phase, lambda r: float(r["wall_s"]))
        if wall is None:
            continue
        cpu = med(tool, phase, lambda r: float(r["user_s"]) + float(r["sys_s"]))
        rss = med(tool, phase, lambda r: int(r["maxrss_kb"]) / 1024)
        stats[tool, phase] = (wall, cpu, rss)
        print(f"{tool + ' ' + label:24}{wall:9.2f}{cpu:9.2f}{rss:9.0f}")
if ("hugo", "full") in stats:
    p, h = stats["podium", "full"], stats["hugo", "full"]
    print(f"podium / hugo, full build: wall {p[0] / h[0]:.3f}×, CPU {p[1] / h[1]:.3f}×, "
          f"peak memory {p[2] / h[2]:.3f}×  (hugo is {h[0] / p[0]:.1f}× slower by wall)")
p1 = stats["podium", "full"]
for phase, label in (("again", "nothing changed"), ("edit", "one post edited")):
    p2 = stats.get(("podium", phase))
    if p2:
        print(f"podium first build / build with {label}: wall {p1[0] / p2[0]:.2f}× faster, "
              f"CPU {p1[1] / p2[1]:.2f}×")
EOF
