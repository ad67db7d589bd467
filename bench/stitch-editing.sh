#!/usr/bin/env bash
# Editing stitches against FFmpeg on the same generated media, in one run (median of RUNS, default 3):
#   trims:       20 x 10 s 720p clips (a keyframe every 2 s), each cut to 2-8 s on keyframes: reel stitch --trim
#                (copied) vs ffmpeg's concat demuxer with inpoint/outpoint (-c copy, faststart).
#   crossfades:  6 of those clips whole with a 1 s crossfade at every boundary: reel stitch --transition
#                crossfade:1 vs ffmpeg's xfade + acrossfade (quarter-sine, equal power) graph; both x264 with the
#                same preset, CRF and 4 threads.
# Prints each median and the Reel/ffmpeg ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
. bench/lib.sh
PRESET=${PRESET:-veryfast}
CRF=${CRF:-23}
CLIPS="$MEDIA/stitch"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
mkdir -p "$CLIPS"

for i in $(seq -w 1 20); do
  clip="$CLIPS/copy-$i.mp4"  # the same clips as bench/stitch.sh
  [ -f "$clip" ] && continue
  ffmpeg -nostdin -v error -y -f lavfi -i "testsrc2=size=1280x720:rate=30:duration=10" \
    -f lavfi -i "sine=frequency=$((200 + 10#$i * 20)):sample_rate=48000:duration=10" \
    -c:v libx264 -preset veryfast -bf 2 -g 60 -pix_fmt yuv420p -c:a aac -ac 2 -shortest "$CLIPS/.tmp-copy-$i.mp4"
  mv "$CLIPS/.tmp-copy-$i.mp4" "$clip"
done
inputs=("$CLIPS"/copy-*.mp4)

trims=()
list="$OUT/trims.txt"
: > "$list"
for n in $(seq 1 ${#inputs[@]}); do
  trims+=(--trim "$n=2-8")
  printf "file '%s'\ninpoint 2\noutpoint 8\n" "$PWD/${inputs[$((n - 1))]}" >> "$list"
done
"$REEL" stitch "${inputs[@]}" "${trims[@]}" --dry-run -o "$OUT/check.mp4" | head -1
reel_trim=$(median_seconds "$REEL" stitch "${inputs[@]}" "${trims[@]}" --mode copy -o "$OUT/reel-trim.mp4" --force)
ffmpeg_trim=$(median_seconds ffmpeg -nostdin -y -f concat -safe 0 -i "$list" -c copy -movflags +faststart \
  "$OUT/ffmpeg-trim.mp4")
echo "trims, 20 clips cut to 2-8 s on keyframes, copied: reel ${reel_trim}s, ffmpeg concat inpoint/outpoint" \
  "${ffmpeg_trim}s, ratio $(ratio "$reel_trim" "$ffmpeg_trim")   (goal <= 1.0)"

six=("${inputs[@]:0:6}")
video="[0:v]"
audio="[0:a]"
graph=""
for k in 1 2 3 4 5; do
  graph+="${video}[$k:v]xfade=transition=fade:duration=1:offset=$((k * 9))[v$k];"
  graph+="${audio}[$k:a]acrossfade=d=1:c1=qsin:c2=qsin[a$k];"
  video="[v$k]"
  audio="[a$k]"
done
ffmpeg_inputs=()
for clip in "${six[@]}"; do ffmpeg_inputs+=(-i "$clip"); done
reel_fade=$(median_seconds "$REEL" stitch "${six[@]}" --transition crossfade:1 --preset "$PRESET" --crf "$CRF" \
  -o "$OUT/reel-fade.mp4" --force)
ffmpeg_fade=$(median_seconds ffmpeg -nostdin -y "${ffmpeg_inputs[@]}" -filter_complex "${graph%;}" \
  -map "$video" -map "$audio" -c:v libx264 -preset "$PRESET" -crf "$CRF" -threads 4 -pix_fmt yuv420p -c:a aac \
  -movflags +faststart "$OUT/ffmpeg-fade.mp4")
echo "crossfades, 6 x 10 s 720p with 1 s crossfades, re-encoded: reel ${reel_fade}s, ffmpeg xfade+acrossfade" \
  "${ffmpeg_fade}s, ratio $(ratio "$reel_fade" "$ffmpeg_fade")"
for f in reel-fade ffmpeg-fade; do
  printf '  %s: %s s\n' "$f" "$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$OUT/$f.mp4")"
done
