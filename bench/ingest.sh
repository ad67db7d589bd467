#!/usr/bin/env bash
# Ingest of a 1 GiB file (hash + copy + fsync in one pass) against openssl's hash alone, and against hashing and
# copying separately (sha256sum, then cp && sync). Goal: ingest >= 0.8x openssl's throughput, and faster than
# hash-then-copy.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
RUNS=${RUNS:-5}
SIZE_MIB=${SIZE_MIB:-1024}

source_file="$MEDIA/ingest-${SIZE_MIB}m.bin"
[ -s "$source_file" ] || head -c "$((SIZE_MIB << 20))" /dev/urandom > "$source_file"
work=$(mktemp -d "$MEDIA/ingest-work.XXXXXX")
trap 'rm -rf "$work"' EXIT
cat "$source_file" > /dev/null  # warm the page cache for every contender alike

hash_then_copy() { sha256sum "$source_file" && cp "$source_file" "$work/copy.bin" && sync "$work/copy.bin"; }

# Every run starts from an empty work folder (not timed), so reel never finds the file already in its library.
BEFORE_EACH='rm -rf "$work"/* && sync'
reel_ingest=$(median_seconds "$REEL" library import --kind other "$source_file" --library "$work/lib")
openssl_hash=$(median_seconds openssl dgst -sha256 "$source_file")
separate=$(median_seconds hash_then_copy)

echo "ingest of $SIZE_MIB MiB, median of $RUNS runs ($REEL)"
printf '  reel library import (hash+copy+fsync)  %8.3f s  %s\n' "$reel_ingest" "$(throughput "$reel_ingest" "$SIZE_MIB")"
printf '  openssl dgst -sha256 (hash only)       %8.3f s  %s\n' "$openssl_hash" "$(throughput "$openssl_hash" "$SIZE_MIB")"
printf '  sha256sum, then cp && sync             %8.3f s  %s\n' "$separate" "$(throughput "$separate" "$SIZE_MIB")"
printf '  reel throughput / openssl hash         %8s   (goal >= 0.8)\n' "$(ratio "$openssl_hash" "$reel_ingest")"
printf '  reel time / hash-then-copy             %8s   (goal < 1.0)\n' "$(ratio "$reel_ingest" "$separate")"
