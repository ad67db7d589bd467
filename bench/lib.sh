# Shared helpers for bench/*.sh: timing with medians, and the reel binary to measure.
REEL=${REEL:-.build/release/reel}
RUNS=${RUNS:-7}
MEDIA=${MEDIA:-bench/.media}
mkdir -p "$MEDIA"

if [ ! -x "$REEL" ]; then
  echo "no reel binary at $REEL: run 'swift build -c release' (or set REEL=.build/debug/reel)" >&2
  exit 2
fi

# median_seconds CMD...: runs CMD $RUNS times (output discarded) and prints the median wall time in seconds.
# With BEFORE_EACH set, that command runs (untimed) before every run.
median_seconds() {
  local times=()
  for _ in $(seq "$RUNS"); do
    [ -z "${BEFORE_EACH:-}" ] || eval "$BEFORE_EACH"
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; return 1; }
    end=$(date +%s%N)
    times+=("$(( end - start ))")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.4f\n", m / 1e9 }'
}

# ratio A B: A / B with three decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

# throughput SECONDS MIB: MIB mebibytes in SECONDS, as "N MiB/s".
throughput() { awk -v s="$1" -v m="$2" 'BEGIN { printf "%.0f MiB/s", m / s }'; }
