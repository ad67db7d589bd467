#!/usr/bin/env bash
# Fetch of 1 GiB from a loopback HTTP server: `reel fetch` (stream + hash + fsync + ingest + probe) against
# `curl -o` alone, against `curl -o` followed by `sha256sum`, and against `curl -o` followed by `sync` (reel
# fsyncs before it records anything; curl does not). Goals: reel faster than curl + sha256sum, and at least 0.8x
# curl alone's throughput.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
RUNS=${RUNS:-5}
SIZE_MIB=${SIZE_MIB:-1024}

served="$MEDIA/served"
mkdir -p "$served"
clip="$served/big-${SIZE_MIB}m.ts"
if [ ! -s "$clip" ]; then
  # A real MPEG-TS (so reel's probe accepts it), padded with random-payload packets of a private stream to size.
  ffmpeg -nostdin -hide_banner -loglevel error -y -f lavfi -i testsrc2=size=640x360:rate=30:duration=4 \
    -c:v libx264 -preset ultrafast -pix_fmt yuv420p -f mpegts "$served/head.ts"
  python3 - "$served/head.ts" "$clip" "$SIZE_MIB" <<'PY'
import os, sys
head, out, mib = sys.argv[1], sys.argv[2], int(sys.argv[3])
target = mib << 20
with open(out, "wb") as f:
    data = open(head, "rb").read()
    f.write(data)
    counter = 0
    while f.tell() + 188 <= target:
        chunk = bytearray()
        for _ in range(min(5000, (target - f.tell()) // 188)):
            chunk += bytes([0x47, 0x1F, 0xFE, 0x10 | (counter & 0x0F)]) + os.urandom(184)  # PID 0x1FFE, unused
            counter += 1
        f.write(chunk)
PY
  rm -f "$served/head.ts"
fi
work=$(mktemp -d "$MEDIA/fetch-work.XXXXXX")
python3 bench/serve.py "$served" > "$work/port" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
url="http://127.0.0.1:$(cat "$work/port")/$(basename "$clip")"
cat "$clip" > /dev/null  # the server reads from the page cache for every contender alike

curl_then_hash() { curl -sS -o "$work/curl.ts" "$url" && sha256sum "$work/curl.ts"; }
curl_then_sync() { curl -sS -o "$work/curl.ts" "$url" && sync "$work/curl.ts"; }

BEFORE_EACH='rm -rf "$work"/lib "$work"/curl.ts && sync'
reel_fetch=$(median_seconds "$REEL" fetch "$url" --library "$work/lib")
curl_alone=$(median_seconds curl -sS -o "$work/curl.ts" "$url")
curl_hash=$(median_seconds curl_then_hash)
curl_sync=$(median_seconds curl_then_sync)

echo "fetch of $SIZE_MIB MiB over loopback HTTP, median of $RUNS runs ($REEL)"
printf '  reel fetch (stream+hash+fsync+probe+ingest) %8.3f s  %s\n' "$reel_fetch" "$(throughput "$reel_fetch" "$SIZE_MIB")"
printf '  curl -o                                     %8.3f s  %s\n' "$curl_alone" "$(throughput "$curl_alone" "$SIZE_MIB")"
printf '  curl -o, then sha256sum                     %8.3f s  %s\n' "$curl_hash" "$(throughput "$curl_hash" "$SIZE_MIB")"
printf '  curl -o, then sync (the fsync floor)        %8.3f s  %s\n' "$curl_sync" "$(throughput "$curl_sync" "$SIZE_MIB")"
printf '  reel time / (curl + sha256sum)              %8s   (goal < 1.0)\n' "$(ratio "$reel_fetch" "$curl_hash")"
printf '  reel throughput / curl alone                %8s   (goal >= 0.8)\n' "$(ratio "$curl_alone" "$reel_fetch")"
printf '  reel throughput / (curl + sync)             %8s\n' "$(ratio "$curl_sync" "$reel_fetch")"
