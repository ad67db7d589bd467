#!/usr/bin/env bash
# reel probe of 20 clips in one process against a loop of ffprobe over the same files.
# Goal: reel <= 0.2x the ffprobe loop, and <= 15 ms a file in-process.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

files=()
for i in $(seq -w 1 20); do
  f="$MEDIA/probe-$i.mp4"
  [ -s "$f" ] || ffmpeg -nostdin -loglevel error -y -f lavfi -i "testsrc2=size=320x240:rate=30:duration=5" \
    -f lavfi -i "sine=frequency=$((200 + 10 * 10#$i)):duration=5" -c:v libx264 -preset ultrafast -c:a aac "$f"
  files+=("$f")
done

ffprobe_loop() { for f in "${files[@]}"; do ffprobe -v error -show_format -show_streams -of json "$f"; done; }

reel_all=$(median_seconds "$REEL" probe --json "${files[@]}")
reel_one=$(median_seconds "$REEL" probe --json "${files[0]}")
ffprobe_all=$(median_seconds ffprobe_loop)
ffprobe_one=$(median_seconds ffprobe -v error -show_format -show_streams -of json "${files[0]}")
per_file_ms=$(awk -v a="$reel_all" -v b="$reel_one" 'BEGIN { printf "%.2f", (a - b) / 19 * 1000 }')

echo "probe, 20 files, median of $RUNS runs ($REEL)"
printf '  reel probe (one process)   %8.4f s\n' "$reel_all"
printf '  ffprobe loop               %8.4f s\n' "$ffprobe_all"
printf '  ratio reel/ffprobe         %8s   (goal <= 0.2)\n' "$(ratio "$reel_all" "$ffprobe_all")"
printf '  one file: reel %.4f s, ffprobe %.4f s, ratio %s\n' "$reel_one" "$ffprobe_one" "$(ratio "$reel_one" "$ffprobe_one")"
printf '  reel per extra file        %8s ms (goal <= 15)\n' "$per_file_ms"
