#!/usr/bin/env bash
# The library torture test for as long as you ask: concurrent reel processes, random kill -9, then the
# independent checker. SECONDS_TO_RUN (default 600), WORKERS (default 4), KILL_EVERY (mean seconds, default 1),
# SEED; REEL selects the binary (default: the debug build, which has the fault points).
set -euo pipefail
cd "$(dirname "$0")/../.."
REEL=${REEL:-.build/debug/reel}
[ -x "$REEL" ] || swift build
exec python3 Tests/torture/torture.py --reel "$REEL" --seconds "${SECONDS_TO_RUN:-600}" \
    --workers "${WORKERS:-4}" --kill-every "${KILL_EVERY:-1}" ${SEED:+--seed "$SEED"}
