#!/usr/bin/env bash
# Perceptual verify of a 60 s 1080p25 pair (the same clip encoded at two x264 thread counts, so the bits differ):
# `reel verify OUT --reference REF` (SSIM and PSNR per frame, audio offset) against
# `ffmpeg -i OUT -i REF -lavfi ssim -f null -` (SSIM only) on the same pair, the two alternating RUNS times
# (default 3); the ratio is the median of the per-pair ratios.
# Goal: ratio <= 1.0. Settings: REEL (default .build/release/reel), RUNS, SECONDS_LONG (default 60).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
. bench/lib.sh
LENGTH=${SECONDS_LONG:-60}

make_clip() { # threads output
  [ -s "$2" ] && return
  echo "generating $2 (1080p25, $LENGTH s, x264 on $1 threads)" >&2
  ffmpeg -nostdin -loglevel error -y -f lavfi -i "testsrc2=size=1920x1080:rate=25:duration=$LENGTH" \
    -f lavfi -i "anoisesrc=duration=$LENGTH:color=pink:seed=7:amplitude=0.3" -c:v libx264 -preset veryfast \
    -crf 20 -threads "$1" -pix_fmt yuv420p -c:a aac -shortest "$2.tmp.mp4"
  mv "$2.tmp.mp4" "$2"
}
ref="$MEDIA/verify-1080p-${LENGTH}s-t1.mp4"
out="$MEDIA/verify-1080p-${LENGTH}s-t4.mp4"
make_clip 1 "$ref"
make_clip 4 "$out"

"$REEL" verify "$out" --reference "$ref" >/dev/null || { echo "reel verify failed on the pair" >&2; exit 1; }
reel_verify() { "$REEL" verify "$out" --reference "$ref"; }
ffmpeg_ssim() { ffmpeg -nostdin -i "$out" -i "$ref" -lavfi ssim -f null -; }
paired=$(paired_seconds reel_verify ffmpeg_ssim)
read -r reel_s ffmpeg_s verify_ratio <<< "$paired"
echo "reel verify (ssim+psnr+audio): ${reel_s}s"
echo "ffmpeg -lavfi ssim:            ${ffmpeg_s}s"
echo "ratio reel/ffmpeg:             ${verify_ratio} (median of $RUNS paired runs)   (goal <= 1.0)"
