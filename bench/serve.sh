#!/usr/bin/env bash
# reel serve: the list endpoint on a library of 100,000 items (p95 under 16 concurrent clients, wrk), and one
# 1 GiB object served by reel vs nginx with sendfile on the same file (median of 5 downloads with curl).
# Needs wrk and nginx (apt-get install wrk nginx). ITEMS=… and OBJECT_MIB=… change the sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
ITEMS=${ITEMS:-100000}
OBJECT_MIB=${OBJECT_MIB:-1024}
for tool in wrk nginx curl python3; do
  command -v "$tool" >/dev/null || { echo "bench/serve.sh needs $tool (apt-get install wrk nginx curl)" >&2; exit 2; }
done
WORK=$(mktemp -d /tmp/reel-bench-serve.XXXXXX)
SERVER=""
NGINX=""
cleanup() {
  [ -z "$SERVER" ] || kill "$SERVER" 2>/dev/null || true
  [ -z "$NGINX" ] || kill "$(cat "$WORK/nginx/nginx.pid" 2>/dev/null)" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
LIB=$WORK/lib
"$REEL" library init --library "$LIB" >/dev/null

# $ITEMS synthetic items, inserted straight into the catalog, each with its (small) file in objects/.
python3 - "$LIB" "$ITEMS" <<'PY'
import hashlib, os, sqlite3, sys, datetime
root, count = sys.argv[1], int(sys.argv[2])
db = sqlite3.connect(os.path.join(root, "catalog.sqlite"))
start = datetime.datetime(2026, 1, 1)
rows = []
for i in range(count):
    data = b"synthetic item %d\n" % i
    sha = hashlib.sha256(data).hexdigest()
    folder = os.path.join(root, "objects", sha[:2])
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, sha + ".mp4"), "wb") as f:
        f.write(data)
    at = (start + datetime.timedelta(seconds=i)).strftime("%Y-%m-%d %H:%M:%S.000")
    rows.append((sha[:12], "clip-%06d.mp4" % i, "video", sha, len(data), "mp4", "video/mp4",
                 "generated" if i % 3 == 0 else "uploaded", i % 5 == 0, at, 4.0, 640, 360, "h264", 30.0))
db.executemany("""INSERT INTO items (id, name, kind, sha256, size, ext, mime, source_type, saved, created_at,
    duration, width, height, video_codec, fps) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""", rows)
db.commit()
PY

serve() {  # serve LIBRARY: starts reel serve on a free port, sets SERVER and URL
  "$REEL" serve --library "$1" --listen 127.0.0.1:0 >"$WORK/serve.out" 2>&1 &
  SERVER=$!
  for _ in $(seq 100); do
    URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$WORK/serve.out" || true)
    [ -z "$URL" ] || return 0
    sleep 0.05
  done
  echo "reel serve did not start: $(cat "$WORK/serve.out")" >&2
  exit 1
}

START=$(date +%s%N)
serve "$LIB"
echo "startup on $ITEMS items: $(( ($(date +%s%N) - START) / 1000000 )) ms to the printed URL"

# list_lua QUERY PAGES: a wrk script asking for /api/items?QUERY&page=N, N random from 1 to PAGES, that prints
# the percentiles wrk's own summary leaves out (p95).
list_lua() {
  cat <<LUA
request = function()
  return wrk.format("GET", "/api/items?$1&page=" .. math.random(1, $2))
end
done = function(summary, latency, requests)
  io.write(string.format("p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, %.0f requests/s, %d errors\\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6), summary.errors.status + summary.errors.connect))
end
LUA
}
list_lua "per_page=50" "$(( ITEMS / 50 ))" >"$WORK/pages.lua"
list_lua "kind=video&saved=true&q=clip-0&per_page=50" 20 >"$WORK/filtered.lua"
echo "GET /api/items (50 a page, random pages of $ITEMS items), 16 connections, 10 s:"
wrk -t 4 -c 16 -d 10s -s "$WORK/pages.lua" "$URL" | tail -1
echo "GET /api/items?kind=video&saved=true&q=clip-0 (filtered, first 20 pages), 16 connections, 10 s:"
wrk -t 4 -c 16 -d 10s -s "$WORK/filtered.lua" "$URL" | tail -1
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""

# One big object: imported into a library of its own, then downloaded from reel and from nginx (sendfile).
BIG=$WORK/big.mp4
head -c "$(( OBJECT_MIB * 1024 * 1024 ))" /dev/urandom >"$BIG"
BIGLIB=$WORK/biglib
ID=$("$REEL" library import "$BIG" --kind other --library "$BIGLIB" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
OBJECT=$(find "$BIGLIB/objects" -type f -size +1M | head -1)
rm "$BIG"
serve "$BIGLIB"
mkdir -p "$WORK/nginx"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$WORK/nginx/nginx.conf" <<NGINX
user root; daemon on; pid $WORK/nginx/nginx.pid; error_log $WORK/nginx/error.log; worker_processes 1;
events { worker_connections 64; }
http {
  access_log off; sendfile on; tcp_nopush on;
  client_body_temp_path $WORK/nginx; proxy_temp_path $WORK/nginx; fastcgi_temp_path $WORK/nginx;
  uwsgi_temp_path $WORK/nginx; scgi_temp_path $WORK/nginx;
  server { listen 127.0.0.1:$PORT; root $(dirname "$OBJECT"); }
}
NGINX
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx"
NGINX=1
download() { curl -s -o /dev/null -w '%{speed_download}\n' "$1"; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
download "$URL/api/items/$ID/content" >/dev/null  # page cache warm for both
REEL_SPEED=$(for _ in 1 2 3 4 5; do download "$URL/api/items/$ID/content"; done | median)
NGINX_SPEED=$(for _ in 1 2 3 4 5; do download "http://127.0.0.1:$PORT/$(basename "$OBJECT")"; done | median)
mib() { awk -v b="$1" 'BEGIN { printf "%.0f MiB/s", b / 1048576 }'; }
echo "$OBJECT_MIB MiB object, median of 5 (curl): reel $(mib "$REEL_SPEED"), nginx sendfile $(mib "$NGINX_SPEED"), ratio $(ratio "$REEL_SPEED" "$NGINX_SPEED")"
