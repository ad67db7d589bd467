#!/usr/bin/env bash
# A pipeline over 20 generated clips (fetch into the library, probe all, stitch by copy, a poster, a sprite)
# against the same work as a shell script of ffprobe/ffmpeg commands; then the cached re-run.
# Goals: cold run <= 1.0x the shell script; cached re-run <= 0.5 s.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
RUNS=${RUNS:-3}

clips=()
for i in $(seq -w 1 20); do
  f="$MEDIA/pipeline-$i.mp4"
  [ -s "$f" ] || ffmpeg -nostdin -loglevel error -y -f lavfi -i "testsrc2=size=1280x720:rate=30:duration=10" \
    -f lavfi -i "sine=frequency=$((300 + 10 * 10#$i)):duration=10" -c:v libx264 -preset ultrafast -g 60 \
    -pix_fmt yuv420p -c:a aac -ac 2 -ar 48000 "$f"
  clips+=("$f")
done
work=$(mktemp -d "$MEDIA/pipeline-work.XXXXXX")
trap 'rm -rf "$work"' EXIT

pipeline="$work/bench.json"
{
  echo '{ "version": 1, "name": "bench", "stages": ['
  for i in "${!clips[@]}"; do
    echo "  { \"id\": \"c$i\", \"type\": \"fetch\", \"path\": \"$PWD/${clips[$i]}\" },"
    echo "  { \"id\": \"p$i\", \"type\": \"probe\", \"input\": \"c$i\" },"
  done
  inputs=$(for i in "${!clips[@]}"; do printf '"c%d",' "$i"; done)
  echo "  { \"id\": \"episode\", \"type\": \"stitch\", \"inputs\": [${inputs%,}], \"mode\": \"copy\" },"
  echo '  { "id": "poster", "type": "thumbnail", "input": "episode", "at": "10%", "width": 640 },'
  echo '  { "id": "scrub", "type": "thumbnail", "input": "episode", "sprite": { "every": 10, "columns": 5, "width": 160 } }'
  echo '] }'
} > "$pipeline"

shell_script() {
  local out="$work/shell"
  rm -rf "$out" && mkdir -p "$out"
  for f in "${clips[@]}"; do ffprobe -v error -show_format -show_streams -of json "$f" > /dev/null; done
  for f in "${clips[@]}"; do echo "file '$PWD/$f'"; done > "$out/list.txt"
  ffmpeg -nostdin -loglevel error -y -f concat -safe 0 -i "$out/list.txt" -c copy -movflags +faststart "$out/episode.mp4"
  ffmpeg -nostdin -loglevel error -y -ss 20 -i "$out/episode.mp4" -frames:v 1 -vf scale=640:-2 "$out/poster.jpg"
  ffmpeg -nostdin -loglevel error -y -skip_frame nokey -i "$out/episode.mp4" \
    -vf "fps=1/10,scale=160:-2,tile=5x4" -frames:v 1 "$out/sprite.jpg"
}

reel_cold() { rm -rf "$work/lib"; "$REEL" run "$pipeline" --library "$work/lib" --jobs 2; }
reel_warm() { "$REEL" run "$pipeline" --library "$work/lib" --jobs 2; }

shell=$(median_seconds shell_script)
cold=$(median_seconds reel_cold)
reel_cold > /dev/null 2>&1
warm=$(median_seconds reel_warm)

echo "pipeline over 20 x 10 s 720p clips, median of $RUNS runs ($REEL)"
printf '  shell script of ffprobe/ffmpeg     %8.3f s\n' "$shell"
printf '  reel run (cold, fresh library)     %8.3f s   ratio %s (goal <= 1.0)\n' "$cold" "$(ratio "$cold" "$shell")"
printf '  reel run (cached re-run)           %8.3f s   (goal <= 0.5 s)\n' "$warm"
