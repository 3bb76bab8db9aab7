#!/usr/bin/env bash
# Every calendar feed of the demo hub and of every fixture hub that builds, expanded by two
# independent parsers, must give the same occurrences: Mozilla's ical.js reads the feed's
# own VTIMEZONEs, Python's icalendar the IANA database, so a disagreement is a VTIMEZONE
# that is not the IANA zone. And the demo's biweekly group meeting stays at 11:00 local
# time on both sides of the March DST change.
# Needs: node with `npm ci` run here, python3 with requirements.txt, a built podium.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
podium="${PODIUM_BIN:-$repo/target/debug/podium}"
python="${PYTHON:-python3}"
now=2020-11-06T12:00:00Z
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$podium" build --root "$repo" --output "$work/sites/demo" --now "$now" \
  --base-url https://example.github.io/hub/ 2>/dev/null
for hub in "$repo"/tests/hubs/*/; do
  name="$(basename "$hub")"
  if ! "$podium" build --root "$hub" --output "$work/sites/$name" --now "$now" >/dev/null 2>&1; then
    echo "skipped tests/hubs/$name: it does not build (on purpose, for error tests)"
  fi
done

for site in "$work"/sites/*/; do
  name="$(basename "$site")"
  if [ -z "$(find "$site" -name '*.ics' -print -quit)" ]; then continue; fi
  node "$here/occurrences.mjs" "$site" > "$work/$name.ical-js"
  "$python" "$here/occurrences.py" "$site" > "$work/$name.icalendar"
  if ! diff -u "$work/$name.ical-js" "$work/$name.icalendar"; then
    echo "ical.js (-) and icalendar (+) disagree on the feeds of $name" >&2
    exit 1
  fi
  echo "$name: ical.js and icalendar agree on $(wc -l < "$work/$name.ical-js") occurrences"
done

# The demo's group meeting: 11:00 local in every feed, 19:00Z in winter and 18:00Z in summer.
meeting="$(grep -P '\thub/seminars/group-meeting@' "$work/demo.ical-js")"
if echo "$meeting" | cut -f3 | grep -v 'T11:00:00$'; then
  echo "a group meeting is not at 11:00 local time" >&2
  exit 1
fi
for utc in T19:00:00Z T18:00:00Z; do
  echo "$meeting" | cut -f4 | grep -q "$utc" || { echo "no group meeting at $utc" >&2; exit 1; }
done
echo "demo: the group meeting is at 11:00 local on all $(echo "$meeting" | wc -l) occurrences"
