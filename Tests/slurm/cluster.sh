#!/usr/bin/env bash
# A one-machine Slurm cluster for tests: munged, slurmctld and slurmd with every file under DIR.
#
#   Tests/slurm/cluster.sh start DIR [--watch PID]   stop whatever DIR's last run left, start afresh, wait for the
#                                                    node to be `idle`; with --watch, stop the cluster once PID exits
#   Tests/slurm/cluster.sh stop DIR                  stop the daemons DIR's pid files name (and its watcher)
#
# Clients find the cluster through `SLURM_CONF=DIR/slurm.conf` (printed by `start`). No system services, no
# cgroups, no accounting: one node named after this host with all its cores, loopback ports picked free. Runs as
# root (the daemons then run jobs as whoever submits them); as another user it runs jobs as that user.
set -euo pipefail

usage() { echo "usage: $0 start DIR [--watch PID] | stop DIR" >&2; exit 2; }
self="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
[ $# -ge 2 ] || usage
action=$1
mkdir -p "$2"
dir=$(cd "$2" && pwd)
watch=""
if [ $# -eq 4 ] && [ "$1" = start ] && [ "$3" = --watch ]; then watch=$4; elif [ $# -ne 2 ]; then usage; fi
daemons=(slurmd slurmctld munged)

# Close what the caller left open beyond stdio: the daemons would hold it for ever, and a caller that learns of its
# child's exit through such a descriptor (Foundation's Process does, with a socket) would wait for ever too.
for fd in /proc/$$/fd/*; do
    fd=${fd##*/}
    case $fd in 0 | 1 | 2 | 255) ;; *) eval "exec $fd>&-" 2>/dev/null || true ;; esac
done

# The pid in DIR's pid file for `name`, if that process is alive and is still that daemon of this DIR.
live_pid() {
    local name=$1 file="$dir/$1.pid" pid
    [ -s "$file" ] || return 1
    pid=$(tr -dc 0-9 <"$file")
    [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$name.*$dir" || return 1
    echo "$pid"
}

stop() {
    local name pid waited
    if [ -s "$dir/watcher.pid" ] && [ "$(tr -dc 0-9 <"$dir/watcher.pid")" != "$$" ]; then
        kill "$(tr -dc 0-9 <"$dir/watcher.pid")" 2>/dev/null || true
    fi
    rm -f "$dir/watcher.pid"
    # Jobs still running would outlive slurmd (their slurmstepd stays): cancel them while the cluster can.
    if live_pid slurmctld >/dev/null && [ -s "$dir/slurm.conf" ]; then
        export SLURM_CONF="$dir/slurm.conf"
        timeout 5 scancel --quiet --user="$(id -un)" 2>/dev/null || true
        waited=0
        while [ "$waited" -lt 50 ] && [ -n "$(timeout 5 squeue -h 2>/dev/null)" ]; do
            sleep 0.1
            waited=$((waited + 1))
        done
    fi
    for name in "${daemons[@]}"; do
        if pid=$(live_pid "$name"); then kill "$pid" 2>/dev/null || true; fi
    done
    for name in "${daemons[@]}"; do
        waited=0
        while pid=$(live_pid "$name"); do
            if [ "$waited" -ge 50 ]; then kill -9 "$pid" 2>/dev/null || true; fi
            sleep 0.1
            waited=$((waited + 1))
        done
        rm -f "$dir/$name.pid"
    done
}

free_ports() {
    python3 - <<'EOF'
import socket
held = [socket.socket() for _ in range(2)]
for s in held:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in held))
EOF
}

fail() {
    echo "slurm test cluster in $dir: $1" >&2
    for log in munged slurmctld slurmd; do
        [ -s "$dir/$log.log" ] && { echo "--- $log.log" >&2; tail -n 20 "$dir/$log.log" >&2; }
    done
    stop
    exit 1
}

# A background process that stops the cluster once the process `watch` names has exited.
start_watcher() {
    (
        while kill -0 "$watch" 2>/dev/null; do sleep 1; done
        rm -f "$dir/watcher.pid"
        "$self" stop "$dir"
    ) </dev/null >/dev/null 2>&1 &
    echo $! >"$dir/watcher.pid"
}

start() {
    local tool
    for tool in munged slurmctld slurmd sinfo sbatch squeue scancel python3; do
        command -v "$tool" >/dev/null || fail "$tool is not installed (apt-get install slurm-wlm munge)"
    done
    stop
    find "$dir" -mindepth 1 -delete
    # munged wants its socket's folders searchable by all, and its key readable by it alone.
    chmod 755 "$dir"
    mkdir -m 700 "$dir/state" "$dir/spool" "$dir/key"
    mkdir -m 755 "$dir/munge"
    head -c 1024 /dev/urandom >"$dir/key/munge.key"
    chmod 400 "$dir/key/munge.key"
    munged --key-file="$dir/key/munge.key" --socket="$dir/munge/socket" --pid-file="$dir/munged.pid" \
        --log-file="$dir/munged.log" --seed-file="$dir/key/seed" </dev/null >>"$dir/munged.log" 2>&1 ||
        fail "munged did not start"

    local host user ports cpus memory
    host=$(hostname -s)
    user=$(id -un)
    read -r -a ports < <(free_ports)
    cpus=$(nproc)
    memory=$(awk '/^MemTotal:/ { mb = int($2 / 1024) - 1024; print (mb > 256 ? mb : 256) }' /proc/meminfo)
    cat >"$dir/slurm.conf" <<EOF
ClusterName=reeltest
SlurmctldHost=$host(127.0.0.1)
SlurmUser=$user
SlurmdUser=$user
SlurmctldPort=${ports[0]}
SlurmdPort=${ports[1]}
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SchedulerType=sched/backfill
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=reel Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
    export SLURM_CONF="$dir/slurm.conf"
    slurmctld -f "$SLURM_CONF" -c </dev/null >>"$dir/slurmctld.log" 2>&1 || fail "slurmctld did not start"
    slurmd -f "$SLURM_CONF" </dev/null >>"$dir/slurmd.log" 2>&1 || fail "slurmd did not start"

    local tries state=""
    for tries in $(seq 1 100); do
        state=$(sinfo -h -o %T 2>/dev/null || true)
        if [ "$state" = idle ]; then
            [ -z "$watch" ] || start_watcher
            echo "SLURM_CONF=$SLURM_CONF"
            return
        fi
        sleep 0.2
    done
    fail "the node is '${state:-unreachable}', not idle, after 20 s"
}

case $action in
    start) start ;;
    stop) stop ;;
    *) usage ;;
esac
