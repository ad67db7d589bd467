# Shared helpers for bench/*.sh: timing with medians, and the reel binary to measure.
REEL=${REEL:-.build/release/reel}
RUNS=${RUNS:-7}
MEDIA=${MEDIA:-bench/.media}
mkdir -p "$MEDIA"

if [ ! -x "$REEL" ]; then
  echo "no reel binary at $REEL: run 'make bench' or 'swift build -c release --static-swift-stdlib' (or set REEL=.build/debug/reel)" >&2
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

# paired_seconds A B: runs the commands A and B (each a function or a command name, without arguments) one
# after the other, $RUNS times, so that the machine's drift falls on both alike; prints three fields: A's median
# wall time, B's median, and the median of the per-pair ratios A/B. BEFORE_EACH runs before every run, untimed.
paired_seconds() {
  local a=() b=() r=() start mid mid2 end
  for _ in $(seq "$RUNS"); do
    [ -z "${BEFORE_EACH:-}" ] || eval "$BEFORE_EACH"
    start=$(date +%s%N)
    "$1" >/dev/null 2>&1 || { echo "failed: $1" >&2; return 1; }
    mid=$(date +%s%N)
    [ -z "${BEFORE_EACH:-}" ] || eval "$BEFORE_EACH"
    mid2=$(date +%s%N)
    "$2" >/dev/null 2>&1 || { echo "failed: $2" >&2; return 1; }
    end=$(date +%s%N)
    a+=("$(( mid - start ))") b+=("$(( end - mid2 ))")
    r+=("$(awk -v x="$(( mid - start ))" -v y="$(( end - mid2 ))" 'BEGIN { printf "%.6f", x / y }')")
  done
  _median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
  printf '%.4f %.4f %.3f\n' "$(printf '%s\n' "${a[@]}" | _median | awk '{ print $1 / 1e9 }')" \
    "$(printf '%s\n' "${b[@]}" | _median | awk '{ print $1 / 1e9 }')" "$(printf '%s\n' "${r[@]}" | _median)"
}

# ratio A B: A / B with three decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

# throughput SECONDS MIB: MIB mebibytes in SECONDS, as "N MiB/s".
throughput() { awk -v s="$1" -v m="$2" 'BEGIN { printf "%.0f MiB/s", m / s }'; }
