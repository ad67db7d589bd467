#!/usr/bin/env bash
# Makes the small sample clips in samples/ from ffmpeg's test sources. The outputs are committed, so a
# newcomer needs nothing else; run this again only to change them. Each clip is a kind users bring.
set -euo pipefail
cd "$(dirname "$0")"
ff() { ffmpeg -nostdin -hide_banner -loglevel error -y "$@"; }
x264=(-c:v libx264 -preset veryfast -crf 30 -pix_fmt yuv420p -g 30)

# A plain landscape clip: 640x360, 30 fps, stereo 48 kHz AAC.
ff -f lavfi -i testsrc2=size=640x360:rate=30:duration=3 -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=3" \
   "${x264[@]}" -c:a aac -b:a 96k -ac 2 -movflags +faststart -map_metadata -1 landscape-640x360-30fps.mp4

# A different size and rate, mono 44.1 kHz audio (as from an older camera or a phone voice memo).
ff -f lavfi -i smptebars=size=480x270:rate=25:duration=3 -f lavfi -i "sine=frequency=660:sample_rate=44100:duration=3" \
   "${x264[@]}" -c:a aac -b:a 64k -ac 1 -movflags +faststart -map_metadata -1 bars-480x270-25fps-mono44k.mp4

# A phone clip held upright: landscape frames plus a display matrix saying "turn 90° clockwise".
# (ffmpeg 5.1 writes the matrix only when stream-copying, so encode first, then remux with the tag.)
ff -f lavfi -i testsrc=size=640x360:rate=30:duration=3 -f lavfi -i "sine=frequency=880:sample_rate=48000:duration=3" \
   "${x264[@]}" -c:a aac -b:a 96k -ac 2 -map_metadata -1 portrait.tmp.mp4
ff -i portrait.tmp.mp4 -c copy -metadata:s:v:0 rotate=270 -movflags +faststart phone-portrait-rotated.mp4
rm portrait.tmp.mp4

# Anamorphic PAL-style: 360x288 stored, sample aspect ratio 64:45, shown as 16:9.
ff -f lavfi -i testsrc=size=360x288:rate=25:duration=3 -f lavfi -i "sine=frequency=550:sample_rate=48000:duration=3" \
   -vf setsar=64/45 "${x264[@]}" -c:a aac -b:a 96k -ac 2 -movflags +faststart -map_metadata -1 anamorphic-360x288-sar64x45.mp4

# An AI-generated style clip: square, 24 fps, no audio track at all.
ff -f lavfi -i mandelbrot=size=320x320:rate=24 -t 3 "${x264[@]}" -movflags +faststart -map_metadata -1 \
   ai-square-24fps-silent.mp4

ls -l
