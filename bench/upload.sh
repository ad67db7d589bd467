#!/usr/bin/env bash
# Upload of a 1 GiB library item to a local S3 server (SeaweedFS, started here by Tests/s3-server.sh):
# `reel library save ID --remote` (multipart, 16 MiB parts, 4 at a time, HEAD confirmation, catalog record)
# against `aws s3 cp` (awscli) with the same threshold, part size and concurrency. Goal: reel <= 1.0x aws-cli.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
RUNS=${RUNS:-3}
SIZE_MIB=${SIZE_MIB:-1024}
command -v aws >/dev/null || { echo "aws (awscli) not found: python3 -m pip install awscli" >&2; exit 2; }

source_file="$MEDIA/upload-${SIZE_MIB}m.bin"
[ -s "$source_file" ] || head -c "$((SIZE_MIB << 20))" /dev/urandom > "$source_file"
envfile=$(bash Tests/s3-server.sh up)
work=$(mktemp -d "$MEDIA/upload-work.XXXXXX")
trap 'bash Tests/s3-server.sh down "$envfile" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
. "$envfile"
cat > "$work/aws-config" <<CONFIG
[default]
region = us-east-1
s3 =
  addressing_style = path
  multipart_threshold = 64MB
  multipart_chunksize = 16MB
  max_concurrent_requests = 4
CONFIG
export AWS_CONFIG_FILE="$work/aws-config"
aws --endpoint-url "$S3_ENDPOINT" s3 mb s3://bench >/dev/null
cat "$source_file" > /dev/null  # both read from the page cache

id=$(sha256sum "$source_file" | cut -c1-12)
# Each reel run starts from a fresh library holding the item (not timed), so every run really uploads.
fresh_library() {
  rm -rf "$work/lib"
  "$REEL" library import --kind other "$source_file" --library "$work/lib" >/dev/null
  "$REEL" remote add bench --endpoint "$S3_ENDPOINT" --bucket bench --path-style --library "$work/lib" >/dev/null
}
BEFORE_EACH=fresh_library
reel_save=$(median_seconds "$REEL" library save "$id" --remote bench --library "$work/lib")
BEFORE_EACH=
aws_cp=$(median_seconds aws --endpoint-url "$S3_ENDPOINT" s3 cp "$source_file" s3://bench/aws.bin)

echo "upload of $SIZE_MIB MiB to SeaweedFS on loopback, median of $RUNS runs ($REEL)"
printf '  reel library save --remote (upload+HEAD+record) %8.3f s  %s\n' "$reel_save" "$(throughput "$reel_save" "$SIZE_MIB")"
printf '  aws s3 cp (same part size and concurrency)      %8.3f s  %s\n' "$aws_cp" "$(throughput "$aws_cp" "$SIZE_MIB")"
printf '  reel / aws-cli                                  %8s   (goal <= 1.0)\n' "$(ratio "$reel_save" "$aws_cp")"
