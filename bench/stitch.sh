#!/usr/bin/env bash
# Stitch benchmark: Reel against FFmpeg on the same generated media, in one run.
#   copy:      20 x 10 s 720p clips; reel stitch --mode copy vs ffmpeg's concat demuxer (-c copy, faststart),
#              and vs cat of the inputs (the I/O floor).
#   re-encode: 6 mixed clips of 10 s (1080p24, portrait with rotation tag, SAR 4:3, 60 fps without audio,
#              mono 44.1 kHz, audio 0.5 s short) vs the equivalent ffmpeg filtergraph, same x264 preset and crf.
# Prints median wall time and peak memory (max RSS) over RUNS runs, and Reel/ffmpeg ratios.
# REEL=.build/debug/reel bench/stitch.sh to try a debug build (figures are then not representative).
set -euo pipefail
cd "$(dirname "$0")/.."
REEL=${REEL:-.build/release/reel}
RUNS=${RUNS:-3}
PRESET=${PRESET:-veryfast}
CRF=${CRF:-23}
MEDIA=bench/.media/stitch
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
mkdir -p "$MEDIA"
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
[ -x "$REEL" ] || { echo "no reel binary at $REEL (swift build -c release, or REEL=...)" >&2; exit 1; }

make_clip() { # name, ffmpeg arguments...: cached in $MEDIA
    local name=$1; shift
    [ -f "$MEDIA/$name" ] && return
    ffmpeg -nostdin -v error -y "$@" "$MEDIA/.tmp-$name" && mv "$MEDIA/.tmp-$name" "$MEDIA/$name"
}

echo "generating media in $MEDIA (cached)..." >&2
for i in $(seq -w 1 20); do
    make_clip "copy-$i.mp4" -f lavfi -i "testsrc2=size=1280x720:rate=30:duration=10" \
        -f lavfi -i "sine=frequency=$((200 + 10#$i * 20)):sample_rate=48000:duration=10" \
        -c:v libx264 -preset veryfast -bf 2 -g 60 -pix_fmt yuv420p -c:a aac -ac 2 -shortest
done
flash="drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:enable='between(t,5,5.1)'"
beep() { echo "aevalsrc='if(between(t,5,5.05),0.8*sin(2*PI*1000*t),0)':s=$1:d=$2"; }
make_clip mix-1.mp4 -f lavfi -i "testsrc2=size=1920x1080:rate=24:duration=10" -f lavfi -i "$(beep 48000 10)" \
    -vf "$flash" -c:v libx264 -preset veryfast -pix_fmt yuv420p -c:a aac -ac 2
make_clip mix-2-src.mp4 -f lavfi -i "testsrc2=size=1280x720:rate=30:duration=10" -f lavfi -i "$(beep 48000 10)" \
    -vf "$flash" -c:v libx264 -preset veryfast -pix_fmt yuv420p -c:a aac -ac 2
make_clip mix-2.mp4 -i "$MEDIA/mix-2-src.mp4" -c copy -metadata:s:v:0 rotate=90
make_clip mix-3.mp4 -f lavfi -i "testsrc2=size=720x576:rate=25:duration=10" -f lavfi -i "$(beep 48000 10)" \
    -vf "$flash,setsar=4/3" -c:v libx264 -preset veryfast -pix_fmt yuv420p -c:a aac -ac 2
make_clip mix-4.mp4 -f lavfi -i "testsrc2=size=1280x720:rate=60:duration=10" \
    -vf "$flash" -c:v libx264 -preset veryfast -pix_fmt yuv420p -an
make_clip mix-5.mp4 -f lavfi -i "testsrc2=size=640x480:rate=30:duration=10" -f lavfi -i "$(beep 44100 10)" \
    -vf "$flash" -c:v libx264 -preset veryfast -pix_fmt yuv420p -c:a aac -ac 1
make_clip mix-6.mp4 -f lavfi -i "testsrc2=size=1280x720:rate=24:duration=10" -f lavfi -i "$(beep 48000 9.5)" \
    -vf "$flash" -c:v libx264 -preset veryfast -pix_fmt yuv420p -c:a aac -ac 2

COPY_INPUTS=("$MEDIA"/copy-*.mp4)
MIX_INPUTS=("$MEDIA"/mix-1.mp4 "$MEDIA"/mix-2.mp4 "$MEDIA"/mix-3.mp4 "$MEDIA"/mix-4.mp4 "$MEDIA"/mix-5.mp4 \
    "$MEDIA"/mix-6.mp4)
LIST="$OUT/list.txt"
for f in "${COPY_INPUTS[@]}"; do echo "file '$PWD/$f'"; done > "$LIST"

# The ffmpeg filtergraph equivalent to reel's re-encode: every input fitted into 1920x1080 (SAR applied, rotation
# applied by ffmpeg's autorotate), padded, 24 fps, audio resampled to 48 kHz stereo, padded/trimmed to 10 s
# (silence for the clip without audio), then concatenated.
graph=""
for i in 0 1 2 3 4 5; do
    pre=""
    [ $i -eq 2 ] && pre="scale='trunc(iw*sar/2)*2':ih,setsar=1,"
    graph+="[$i:v]${pre}scale=1920:1080:force_original_aspect_ratio=decrease,"
    graph+="pad=1920:1080:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=24,format=yuv420p[v$i];"
    if [ $i -eq 3 ]; then
        graph+="anullsrc=r=48000:cl=stereo,atrim=0:10[a$i];"
    else
        graph+="[$i:a]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,apad,atrim=0:10[a$i];"
    fi
done
graph+="[v0][a0][v1][a1][v2][a2][v3][a3][v4][a4][v5][a5]concat=n=6:v=1:a=1[v][a]"
MIX_ARGS=()
for f in "${MIX_INPUTS[@]}"; do MIX_ARGS+=(-i "$f"); done

measure() { # label, command...: appends "wall rss_kb" to $OUT/label
    local label=$1; shift
    sync
    /usr/bin/time -f "%e %M" -o "$OUT/time" "$@" >/dev/null 2>"$OUT/stderr" || {
        echo "$label failed:" >&2; cat "$OUT/stderr" >&2; exit 1; }
    cat "$OUT/time" >> "$OUT/$label"
}
median() { # column of $OUT/label
    awk -v c="$2" '{print $c}' "$OUT/$1" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'
}

echo "running $RUNS runs of each..." >&2
for run in $(seq "$RUNS"); do
    measure cat sh -c 'cat "$@" > '"$OUT/cat.mp4" sh "${COPY_INPUTS[@]}"
    measure ffmpeg-copy ffmpeg -nostdin -v error -y -f concat -safe 0 -i "$LIST" -c copy -movflags +faststart \
        "$OUT/ffmpeg-copy.mp4"
    measure reel-copy "$REEL" stitch "${COPY_INPUTS[@]}" -o "$OUT/reel-copy.mp4" --mode copy --force
    measure ffmpeg-reencode ffmpeg -nostdin -v error -y "${MIX_ARGS[@]}" -filter_complex "$graph" -map "[v]" \
        -map "[a]" -c:v libx264 -preset "$PRESET" -crf "$CRF" -c:a aac -b:a 128k -movflags +faststart \
        "$OUT/ffmpeg-reencode.mp4"
    measure reel-reencode "$REEL" stitch "${MIX_INPUTS[@]}" -o "$OUT/reel-reencode.mp4" --mode reencode \
        --size 1920x1080 --fps 24 --preset "$PRESET" --crf "$CRF" --force
done

row() { # label, reference label
    local wall rss
    wall=$(median "$1" 1); rss=$(median "$1" 2)
    printf "%-16s %8.2f s %9.1f MB" "$1" "$wall" "$(echo "$rss / 1024" | bc -l)"
    if [ -n "${2:-}" ]; then
        printf "   time %.2fx  memory %.2fx of %s" "$(echo "$wall / $(median "$2" 1)" | bc -l)" \
            "$(echo "$rss / $(median "$2" 2)" | bc -l)" "$2"
    fi
    echo
}
echo "stitch benchmark: $RUNS runs, medians (reel: $REEL; x264 preset $PRESET, crf $CRF)"
echo "copy: 20 x 10 s 1280x720 30 fps H.264 + AAC"
row cat
row ffmpeg-copy
row reel-copy ffmpeg-copy
printf "%-16s %s\n" "" "reel-copy vs cat: $(echo "$(median reel-copy 1) / $(median cat 1)" | bc -l | cut -c1-5)x"
echo "re-encode: 6 mixed 10 s clips -> 1920x1080 24 fps, 48 kHz stereo"
row ffmpeg-reencode
row reel-reencode ffmpeg-reencode
for f in reel-copy ffmpeg-copy reel-reencode ffmpeg-reencode; do
    printf "%-16s duration %s s\n" "$f" "$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$OUT/$f.mp4")"
done
