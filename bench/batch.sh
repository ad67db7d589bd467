#!/usr/bin/env bash
# A batch of N rows (1k, 5k, 10k) of a probe + thumbnail pipeline over small generated clips, each row a different
# (clip, time) pair so no row's work is another's: reel run --each's time per row (goal: within ±20 % across sizes),
# its own overhead per row (the same batch again with --rerun ok: every stage a cache hit, so all that is left is
# reading rows, validating, recording runs and rows; goal ≤ 10 ms), its peak memory (/usr/bin/time -v, goal: flat in
# N), and the shell loop a user would write instead (ffprobe, ffmpeg -ss, sha256sum, cp; goal: reel ≤ 0.3× its time).
# Then one pipeline of STAGES stages (a fetch and STAGES - 1 probes of it): reel validate and reel run on it (goal:
# seconds, not minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
SIZES=${SIZES:-"1000 5000 10000"}
PEER_ROWS=${PEER_ROWS:-1000}
STAGES=${STAGES:-10000}
FRAMES=60  # frames per clip: 2 s at 30 fps, one row per frame

largest=$(printf '%s\n' $SIZES "$PEER_ROWS" | sort -n | tail -1)
clips="$MEDIA/batch-clips"
mkdir -p "$clips"
for i in $(seq 0 $(( (largest + FRAMES - 1) / FRAMES - 1 ))); do
  [ -s "$clips/c$i.mp4" ] && continue
  # A box whose size is the clip's number makes every clip's frames its own.
  ffmpeg -nostdin -hide_banner -loglevel error -y -f lavfi \
    -i "testsrc2=size=160x90:rate=30:duration=2,drawbox=x=0:y=0:w=$(( i % 160 + 1 )):h=$(( i / 160 + 1 )):color=red:t=fill" \
    -c:v libx264 -preset ultrafast -pix_fmt yuv420p "$clips/c$i.mp4"
done

work=$(mktemp -d "$MEDIA/batch-work.XXXXXX")
trap 'rm -rf "$work"' EXIT
cat > "$work/posters.json" <<JSON
{"version": 1, "name": "posters", "params": {"clip": null, "at": null},
 "stages": [
   {"id": "source", "type": "fetch", "path": "\${clip}"},
   {"id": "info", "type": "probe", "input": "source"},
   {"id": "poster", "type": "thumbnail", "input": "source", "at": "\${at}", "width": 64}]}
JSON
# rows N: row j is frame j % 60 of clip j / 60, as JSONL (for reel) and CSV (for the shell loop).
rows() {
  awk -v n="$1" -v dir="$(cd "$clips" && pwd)" -v f="$FRAMES" 'BEGIN {
    for (j = 0; j < n; j++) printf "{\"key\": \"r%d\", \"clip\": \"%s/c%d.mp4\", \"at\": \"%.4f\"}\n", j, dir, int(j / f), (j % f) / 30
  }' > "$work/rows-$1.jsonl"
  awk -v n="$1" -v dir="$(cd "$clips" && pwd)" -v f="$FRAMES" 'BEGIN {
    for (j = 0; j < n; j++) printf "r%d,%s/c%d.mp4,%.4f\n", j, dir, int(j / f), (j % f) / 30
  }' > "$work/rows-$1.csv"
}

# timed LABEL CMD...: runs CMD once under /usr/bin/time -v; sets SECONDS_TAKEN and RSS_MIB.
timed() {
  local label=$1; shift
  /usr/bin/time -v "$@" > "$work/$label.out" 2> "$work/$label.time" || { tail -3 "$work/$label.time" >&2; }
  SECONDS_TAKEN=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$work/$label.time")
  RSS_MIB=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$work/$label.time")
}

peer() {
  mkdir -p "$work/peer/probe" "$work/peer/thumbs" "$work/peer/store"
  while IFS=, read -r key clip at; do
    ffprobe -v error -show_format -show_streams -of json "$clip" > "$work/peer/probe/$key.json"
    sum=$(sha256sum "$clip" | cut -c1-64)
    [ -e "$work/peer/store/$sum.mp4" ] || cp "$clip" "$work/peer/store/$sum.mp4"
    ffmpeg -nostdin -v error -y -ss "$at" -i "$clip" -frames:v 1 -vf scale=64:-2 "$work/peer/thumbs/$key.jpg"
    sum=$(sha256sum "$work/peer/thumbs/$key.jpg" | cut -c1-64)
    cp "$work/peer/thumbs/$key.jpg" "$work/peer/store/$sum.jpg"
  done < "$work/rows-$PEER_ROWS.csv"
}

# median VALUES...: the median of the numbers given.
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { printf "%.2f", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# This machine's speed drifts by ±15 % over minutes (a VM: a plain CPU loop shows it), more than the goal allows,
# so each size is run ROUNDS times, the sizes in a rotated order each round (1k 5k 10k, 5k 10k 1k, 10k 1k 5k), and
# the medians compared: a slower minute then lands on a different size each round.
ROUNDS=${ROUNDS:-3}
read -r -a sizes <<< "$SIZES"
for n in "${sizes[@]}"; do rows "$n"; done
declare -A fresh_ms cached_ms rss_max
echo "batch: probe + thumbnail per row over $(( (largest + FRAMES - 1) / FRAMES )) generated 160x90 clips ($REEL), $ROUNDS rounds"
for round in $(seq 0 $(( ROUNDS - 1 ))); do
  for i in "${!sizes[@]}"; do
    n=${sizes[$(( (i + round) % ${#sizes[@]} ))]}
    timed "reel-$n" "$REEL" run "$work/posters.json" --each "$work/rows-$n.jsonl" --library "$work/lib-$n"
    fresh_ms[$n]+="$(awk -v s="$SECONDS_TAKEN" -v n="$n" 'BEGIN { printf "%.2f", s * 1000 / n }') "
    rss_max[$n]=$(printf '%s\n' "${rss_max[$n]:-0}" "$RSS_MIB" | sort -n | tail -1)
    timed "again-$n" "$REEL" run "$work/posters.json" --each "$work/rows-$n.jsonl" --library "$work/lib-$n" --rerun ok
    cached_ms[$n]+="$(awk -v s="$SECONDS_TAKEN" -v n="$n" 'BEGIN { printf "%.2f", s * 1000 / n }') "
    rm -rf "$work/lib-$n"
  done
done
printf '  %7s  %-26s  %12s  %14s  %12s\n' rows "ms per row, each round" "median ms" "overhead ms" "max RSS MiB"
declare -A per_row
for n in "${sizes[@]}"; do
  # shellcheck disable=SC2086 # the rounds' figures, one word each
  per_row[$n]=$(median ${fresh_ms[$n]})
  # shellcheck disable=SC2086
  printf '  %7s  %-26s  %12s  %14s  %12s\n' "$n" "${fresh_ms[$n]}" "${per_row[$n]}" "$(median ${cached_ms[$n]})" \
    "${rss_max[$n]}"
  [ "$n" = "$PEER_ROWS" ] && reel_peer_rows=$(awk -v ms="${per_row[$n]}" -v n="$n" 'BEGIN { print ms * n / 1000 }')
done
spread=$(printf '%s\n' "${per_row[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", (a[NR] / a[1] - 1) * 100 }')
printf '  per-row time spread across sizes (largest median / smallest): %s %%   (goal ≤ 20 %%)\n' "$spread"
if [ -n "${reel_peer_rows:-}" ]; then
  rows "$PEER_ROWS"
  export work PEER_ROWS
  export -f peer
  timed peer bash -c peer
  printf '  shell loop (ffprobe, ffmpeg -ss, sha256sum, cp) on %s rows: %.2f s; reel / shell = %s   (goal ≤ 0.3)\n' \
    "$PEER_ROWS" "$SECONDS_TAKEN" "$(ratio "$reel_peer_rows" "$SECONDS_TAKEN")"
fi

awk -v n="$STAGES" -v clip="$(cd "$clips" && pwd)/c0.mp4" 'BEGIN {
  printf "{\"version\": 1, \"name\": \"wide\", \"stages\": [\n  {\"id\": \"source\", \"type\": \"fetch\", \"path\": \"%s\"}", clip
  for (i = 1; i < n; i++) printf ",\n  {\"id\": \"p%d\", \"type\": \"probe\", \"input\": \"source\"}", i
  print "]}"
}' > "$work/wide.json"
timed wide-validate "$REEL" validate "$work/wide.json"
validate_s=$SECONDS_TAKEN
timed wide-run "$REEL" run "$work/wide.json" --library "$work/lib-wide"
printf '  one pipeline of %s stages: validate %.2f s, run %.2f s (max RSS %s MiB)   (goal: seconds)\n' \
  "$STAGES" "$validate_s" "$SECONDS_TAKEN" "$RSS_MIB"
