#!/usr/bin/env bash
# reel thumbnail against ffmpeg on the same generated clip (10 min of 1080p25, keyframe every 2 s).
# Stills: at 5 s, on a keyframe (300 s) and just before a keyframe (301.96 s, the worst place in a GOP),
# against `ffmpeg -ss T -i FILE -frames:v 1`. Sprite: a 5x5 sheet of 160-wide tiles over the whole clip, against
# `ffmpeg -skip_frame nokey -i FILE -vf fps=25/600,scale=160:-1,tile=5x5 -frames:v 1`. Goal: ratios <= 1.0.
# FULL=1 also times ffmpeg decoding every frame for the sheet once (the ~20x the keyframe path should beat).
# Settings: REEL (default .build/release/reel), RUNS (default 5), SECONDS_LONG (clip length, default 600).
set -euo pipefail
cd "$(dirname "$0")/.."
REEL=${REEL:-.build/release/reel}
RUNS=${RUNS:-5}
LENGTH=${SECONDS_LONG:-600}
MEDIA=bench/.media
mkdir -p "$MEDIA"
[ -x "$REEL" ] || { echo "no reel binary at $REEL: build it (or set REEL=.build/debug/reel)" >&2; exit 2; }

clip="$MEDIA/thumb-1080p-${LENGTH}s.mp4"
if [ ! -s "$clip" ]; then
  echo "generating $clip (1080p25, ${LENGTH} s, keyframe every 2 s; takes a few minutes)" >&2
  ffmpeg -nostdin -loglevel error -y -f lavfi -i "testsrc2=size=1920x1080:rate=25:duration=$LENGTH" \
    -c:v libx264 -preset ultrafast -pix_fmt yuv420p -x264-params keyint=50:min-keyint=50:scenecut=0 \
    "$MEDIA/.thumb-tmp.mp4"
  mv "$MEDIA/.thumb-tmp.mp4" "$clip"
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# median_seconds CMD...: runs CMD $RUNS times (output discarded) and prints the median wall time in seconds.
median_seconds() {
  local times=() start end
  for _ in $(seq "$RUNS"); do
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; return 1; }
    end=$(date +%s%N)
    times+=("$((end - start))")
  done
  printf '%s\n' "${times[@]}" | sort -n |
    awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.4f\n", m / 1e9 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

echo "thumbnail, $clip, median of $RUNS runs ($REEL)"
printf '  %-34s %9s %9s %7s\n' case reel ffmpeg ratio
for case in "at 5 s:5" "on a keyframe (300 s):300" "just before a keyframe (301.96 s):301.96"; do
  name=${case%%:*}
  at=${case##*:}
  reel=$(median_seconds "$REEL" thumbnail "$clip" --at "$at" --quality 2 -o "$out/reel.jpg")
  ff=$(median_seconds ffmpeg -nostdin -loglevel error -y -ss "$at" -i "$clip" -frames:v 1 -q:v 2 "$out/ffmpeg.jpg")
  printf '  %-34s %8.4fs %8.4fs %7s\n' "$name" "$reel" "$ff" "$(ratio "$reel" "$ff")"
done

reel=$(median_seconds "$REEL" thumbnail "$clip" --sprite --columns 5 --rows 5 --width 160 -o "$out/sheet.jpg")
ff=$(median_seconds ffmpeg -nostdin -loglevel error -y -skip_frame nokey -i "$clip" \
  -vf "fps=25/$LENGTH,scale=160:-1,tile=5x5" -frames:v 1 -q:v 3 "$out/ffsheet.jpg")
printf '  %-34s %8.4fs %8.4fs %7s\n' "5x5 sprite, whole clip" "$reel" "$ff" "$(ratio "$reel" "$ff")"

if [ "${FULL:-0}" = 1 ]; then
  RUNS=1
  full=$(median_seconds ffmpeg -nostdin -loglevel error -y -i "$clip" \
    -vf "fps=25/$LENGTH,scale=160:-1,tile=5x5" -frames:v 1 "$out/fullsheet.jpg")
  printf '  %-34s %9s %8.4fs %7s  (reel sprite is %sx faster)\n' "5x5 sprite, every frame decoded" - "$full" - \
    "$(awk -v a="$full" -v b="$reel" 'BEGIN { printf "%.1f", a / b }')"
fi
