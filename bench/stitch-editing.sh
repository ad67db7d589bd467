#!/usr/bin/env bash
# Editing stitches against FFmpeg on the same generated media, in one run (median of RUNS, default 3):
#   trims:       20 x 10 s 720p clips (a keyframe every 2 s), each cut to 2-8 s on keyframes: reel stitch --trim
#                (copied) vs ffmpeg's concat demuxer with inpoint/outpoint (-c copy, faststart).
#   crossfades:  6 of those clips whole with a 1 s crossfade at every boundary: reel stitch --transition
#                crossfade:1 vs ffmpeg's xfade + acrossfade (quarter-sine, equal power) graph; both x264 with the
#                same preset, CRF and 4 threads.
#   branded:     the same 6 clips with a 200x80 logo bottom-right at 0.8 opacity and each clip's sound brought to
#                -16 LUFS: reel stitch --overlay … --loudness -16 vs the script a user would write (ffmpeg's ebur128
#                on each clip to measure it, then one concat + overlay + volume graph); and reel without the two,
#                for what they cost.
#   episode:     the issue's whole case in one run: a 2 s title card, then the 6 clips, a 1 s crossfade at every
#                boundary (the card's too), the logo and each clip at -16 LUFS: reel stitch vs the ffmpeg script
#                that does the same (ebur128 on each clip, then one xfade + acrossfade + volume + overlay graph).
# Prints each median and the Reel/ffmpeg ratio. CASES=trims,episode runs only those (default: all).
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
six=("${inputs[@]:0:6}")
CASES=${CASES:-trims,crossfades,branded,episode}
wants() { [[ ",$CASES," == *",$1,"* ]]; }

logo="$CLIPS/logo-200x80.png"
[ -f "$logo" ] || ffmpeg -nostdin -v error -y -f lavfi -i "color=c=orange:s=200x80,format=rgba,geq=r='r(X,Y)':g='g(X,Y)':b='b(X,Y)':a='if(lt(abs(X-100),90)*lt(abs(Y-40),30),230,0)'" \
  -frames:v 1 "$logo"
title="$CLIPS/title-1280x720.png"
[ -f "$title" ] || ffmpeg -nostdin -v error -y -f lavfi -i "color=c=navy:s=1280x720,drawbox=x=240:y=300:w=800:h=120:color=white@0.9:t=fill" \
  -frames:v 1 "$title"

# gains CLIP...: the volume change that brings each clip to -16 LUFS, as ffmpeg's ebur128 measures it (pass 1 of
# the peers that normalize loudness).
gains() {
  local clip
  for clip in "$@"; do
    ffmpeg -nostdin -hide_banner -nostats -i "$clip" -vn -af ebur128 -f null - 2>&1 |
      awk '/Summary:/ { s = 1 } s && $1 == "I:" { printf "%.2f\n", -16 - $2; exit }'
  done
}

if wants trims; then
trims=()
list="$OUT/trims.txt"
: > "$list"
for n in $(seq 1 ${#inputs[@]}); do
  trims+=(--trim "$n=2-8")
  printf "file '%s'\ninpoint 2\noutpoint 8\n" "$PWD/${inputs[$((n - 1))]}" >> "$list"
done
"$REEL" stitch "${inputs[@]}" "${trims[@]}" --dry-run -o "$OUT/check.mp4" | head -1
reel_trim() { "$REEL" stitch "${inputs[@]}" "${trims[@]}" --mode copy -o "$OUT/reel-trim.mp4" --force; }
ffmpeg_trim() { ffmpeg -nostdin -y -f concat -safe 0 -i "$list" -c copy -movflags +faststart "$OUT/ffmpeg-trim.mp4"; }
paired=$(paired_seconds reel_trim ffmpeg_trim)
read -r reel_s ffmpeg_s trim_ratio <<< "$paired"
echo "trims, 20 clips cut to 2-8 s on keyframes, copied: reel ${reel_s}s, ffmpeg concat inpoint/outpoint" \
  "${ffmpeg_s}s, ratio ${trim_ratio} (median of $RUNS paired runs)   (goal <= 1.0)"
fi

if wants crossfades; then
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

fi

if wants branded; then
# The peer: measure each clip (pass 1), then one graph with each clip's gain, the concat and the overlay (pass 2).
branded_peer() {
  local graph="" n=0 gain
  for gain in $(gains "$@"); do
    graph+="[$n:a]volume=${gain}dB[a$n];"
    n=$((n + 1))
  done
  for k in $(seq 0 $((n - 1))); do graph+="[$k:v][a$k]"; done
  graph+="concat=n=$n:v=1:a=1[v][a];[$n:v]format=rgba,colorchannelmixer=aa=0.8[logo];[v][logo]overlay=x=W-w-16:y=H-h-16[vo]"
  local inputs=()
  for clip in "$@"; do inputs+=(-i "$clip"); done
  ffmpeg -nostdin -v error -y "${inputs[@]}" -i "$logo" -filter_complex "$graph" -map "[vo]" -map "[a]" \
    -c:v libx264 -preset "$PRESET" -crf "$CRF" -threads 4 -pix_fmt yuv420p -c:a aac -movflags +faststart \
    "$OUT/ffmpeg-branded.mp4"
}
export -f branded_peer gains
export logo OUT PRESET CRF
reel_plain=$(median_seconds "$REEL" stitch "${six[@]}" --mode reencode --preset "$PRESET" --crf "$CRF" \
  -o "$OUT/reel-plain.mp4" --force)
reel_branded=$(median_seconds "$REEL" stitch "${six[@]}" --overlay "$logo" --overlay-position bottom-right \
  --overlay-opacity 0.8 --loudness -16 --preset "$PRESET" --crf "$CRF" -o "$OUT/reel-branded.mp4" --force)
ffmpeg_branded=$(median_seconds bash -c 'branded_peer "$@"' _ "${six[@]}")
echo "branded, 6 x 10 s 720p, logo overlay + loudness per clip: reel ${reel_branded}s, ffmpeg ebur128 pass +" \
  "concat/overlay/volume graph ${ffmpeg_branded}s, ratio $(ratio "$reel_branded" "$ffmpeg_branded");" \
  "reel without them ${reel_plain}s (overlay + loudness cost $(ratio "$reel_branded" "$reel_plain")x)"
fi

if wants episode; then
# The peer: measure each clip (pass 1), then one graph (pass 2): the card held 2 s over silence, each clip's gain,
# xfade + acrossfade at every boundary (every stream at one size, rate and time base first, as xfade needs), the
# logo over the result.
episode_peer() {
  local graph="" n=1 gain video="[v0]" audio="[a0]" offset=1
  graph+="[0:v]scale=1280:720,fps=30,format=yuv420p,settb=AVTB[v0];"
  graph+="anullsrc=r=48000:cl=stereo,atrim=duration=2[a0];"
  for gain in $(gains "$@"); do
    graph+="[$n:v]fps=30,format=yuv420p,settb=AVTB[c$n];[$n:a]volume=${gain}dB[g$n];"
    graph+="${video}[c$n]xfade=transition=fade:duration=1:offset=$offset[v$n];"
    graph+="${audio}[g$n]acrossfade=d=1:c1=qsin:c2=qsin[a$n];"
    video="[v$n]"
    audio="[a$n]"
    offset=$((offset + 9))
    n=$((n + 1))
  done
  graph+="[$n:v]format=rgba,colorchannelmixer=aa=0.8[logo];${video}[logo]overlay=x=W-w-16:y=H-h-16[vo]"
  local inputs=(-loop 1 -framerate 30 -t 2 -i "$title")
  for clip in "$@"; do inputs+=(-i "$clip"); done
  ffmpeg -nostdin -v error -y "${inputs[@]}" -i "$logo" -filter_complex "$graph" -map "[vo]" -map "$audio" \
    -c:v libx264 -preset "$PRESET" -crf "$CRF" -threads 4 -pix_fmt yuv420p -c:a aac -movflags +faststart \
    "$OUT/ffmpeg-episode.mp4"
}
export -f episode_peer gains
export title logo OUT PRESET CRF
reel_episode=$(median_seconds "$REEL" stitch "$title" "${six[@]}" --image-duration 2 --transition crossfade:1 \
  --overlay "$logo" --overlay-position bottom-right --overlay-opacity 0.8 --loudness -16 --preset "$PRESET" \
  --crf "$CRF" -o "$OUT/reel-episode.mp4" --force)
ffmpeg_episode=$(median_seconds bash -c 'episode_peer "$@"' _ "${six[@]}")
echo "episode, title card + 6 x 10 s 720p, crossfades, logo, loudness per clip: reel ${reel_episode}s, ffmpeg" \
  "ebur128 pass + xfade/acrossfade/volume/overlay graph ${ffmpeg_episode}s," \
  "ratio $(ratio "$reel_episode" "$ffmpeg_episode")   (goal <= 1.0)"
for f in reel-episode ffmpeg-episode; do
  printf '  %s: %s s\n' "$f" "$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$OUT/$f.mp4")"
done
fi
