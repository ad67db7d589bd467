# Shared helpers for bench/*.sh: timing with medians, and the reel binary to measure.
REEL=${REEL:-.build/release/reel}
RUNS=${RUNS:-7}
MEDIA=${MEDIA:-bench/.media}
mkdir -p "$MEDIA"

if [ ! -x "$REEL" ]; then
  echo "no reel binary at $REEL: run 'make bench' or 'swift build -c release --static-swift-stdlib' (or set REEL=.build/debug/reel)" >&2
  exit 2
fi

# elapsed_ns CMD...: runs BEFORE_EACH (untimed, when set), then CMD with its output discarded; prints CMD's wall
# time in nanoseconds, or fails naming CMD.
elapsed_ns() {
  [ -z "${BEFORE_EACH:-}" ] || eval "$BEFORE_EACH"
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; return 1; }
  end=$(date +%s%N)
  echo "$(( end - start ))"
}

# median: the median of the numbers on standard input, one per line.
median() { sort -g | awk '{ v[NR] = $1 } END { printf "%.6f\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# median_seconds CMD...: runs CMD $RUNS times (output discarded) and prints the median wall time in seconds.
# With BEFORE_EACH set, that command runs (untimed) before every run.
median_seconds() {
  local times=()
  for _ in $(seq "$RUNS"); do times+=("$(elapsed_ns "$@")") || return 1; done
  printf '%s\n' "${times[@]}" | median | awk '{ printf "%.4f\n", $1 / 1e9 }'
}

# paired_seconds A B: runs the commands A and B (each a function or a command name, without arguments) one
# after the other, $RUNS times, so that the machine's drift falls on both alike; prints three fields: A's median
# wall time in seconds, B's, and the median of the per-pair ratios A/B. BEFORE_EACH runs before every run.
paired_seconds() {
  local a=() b=() r=() x y
  for _ in $(seq "$RUNS"); do
    x=$(elapsed_ns "$1") && y=$(elapsed_ns "$2") || return 1
    a+=("$x") b+=("$y") r+=("$(ratio "$x" "$y")")
  done
  printf '%.4f %.4f %.3f\n' "$(printf '%s\n' "${a[@]}" | median | awk '{ print $1 / 1e9 }')" \
    "$(printf '%s\n' "${b[@]}" | median | awk '{ print $1 / 1e9 }')" "$(printf '%s\n' "${r[@]}" | median)"
}

# ratio A B: A / B with three decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

# throughput SECONDS MIB: MIB mebibytes in SECONDS, as "N MiB/s".
throughput() { awk -v s="$1" -v m="$2" 'BEGIN { printf "%.0f MiB/s", m / s }'; }
