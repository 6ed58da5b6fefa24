#!/usr/bin/env bash
# A throwaway single-node Slurm cluster for ctxbench's end-to-end test
# (tests/e2e/test_slurm.py) and for trying `ctxbench slurm` on one machine.
# Debian's slurm-wlm + munge, run as root without systemd; everything (config,
# munge key and socket, state, logs, pid files) lives in one folder, nothing
# under /etc is read or changed.
#
#   scripts/slurm-cluster.sh up [DIR]   start; prints DIR (default: a new /tmp/ctxslurm.XXXXXX)
#   scripts/slurm-cluster.sh down DIR   stop what `up DIR` started (by pid), keep DIR's logs
#
# After `up`: export SLURM_CONF=DIR/etc/slurm.conf, then sbatch/squeue as usual.
# Exit codes: 0 ok, 1 the cluster failed to start (logs printed), 77 this machine
# cannot host it (not root, packages not installable, noexec folder, no free port).
# Env: CTXBENCH_SLURM_TIMEOUT (seconds to wait for the node, default 60).
set -euo pipefail

ACTION=${1:-}
DIR=${2:-}
TIMEOUT=${CTXBENCH_SLURM_TIMEOUT:-60}
TAG=CTXBENCH_SLURM_CLUSTER   # every daemon we start carries $TAG=$DIR in its environment

say() { echo "slurm-cluster: $*" >&2; }
cannot() { say "cannot host a cluster here: $*"; exit 77; }
fail() {
  say "FAILED: $*"
  local f
  for f in "$DIR"/log/*.log; do
    [ -f "$f" ] && { echo "--- $f" >&2; tail -n 20 "$f" >&2; }
  done
  exit 1
}

# is_ours PID NAME: a live (not zombie) process named NAME; guards against pid reuse.
is_ours() {
  local pid=${1:-}
  [ -n "$pid" ] && [ -r "/proc/$pid/comm" ] || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ] || return 1
  ! grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null
}
pid_in() { cat "$1" 2>/dev/null || true; }
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

ensure_packages() {
  local tool
  for tool in slurmctld slurmd sbatch squeue sinfo munged mungekey; do
    command -v "$tool" >/dev/null 2>&1 && continue
    say "installing slurm-wlm and munge (apt-get, --no-install-recommends)"
    local install=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -q
                   --no-install-recommends slurm-wlm munge)
    if ! "${install[@]}" >&2; then
      apt-get update -q >&2 && "${install[@]}" >&2 || cannot "apt-get could not install slurm-wlm munge"
    fi
    return 0
  done
}

# Two free consecutive ports from 6817 up: slurmctld and slurmd.
pick_ports() {
  local p
  for ((p = 6817; p < 6917; p += 2)); do
    if ! port_taken "$p" && ! port_taken $((p + 1)); then
      CTLD_PORT=$p SLURMD_PORT=$((p + 1))
      return 0
    fi
  done
  cannot "no two free ports in 6817-6917"
}

write_conf() {
  local node
  # The node line must match the hardware, or the node is marked invalid.
  # slurmd falls back to the node named localhost when the hostname is unknown.
  node=$(slurmd -C | sed -n 's/^NodeName=[^ ]*/NodeName=localhost/p')
  [ -n "$node" ] || fail "slurmd -C printed no node line"
  cat >"$DIR/etc/slurm.conf" <<EOF
# Written by ctxbench scripts/slurm-cluster.sh for a one-node test cluster.
ClusterName=ctxbench
SlurmctldHost=localhost
SlurmUser=root
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$DIR/munge/socket
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
# Schedule cores only: the default CR_Core_Memory gives a job without --mem the
# whole node's memory, so array tasks would run one at a time.
SelectTypeParameters=CR_Core
ReturnToService=2
# A job whose afterok dependency can never be met is cancelled, not left pending.
DependencyParameters=kill_invalid_depend
# Start jobs as they come instead of batching submissions for 3 s.
SchedulerParameters=batch_sched_delay=0
# \`sbatch --wait\` polls after 2 s, then 8 s, then every 32 s, unless the
# next sleep would reach MinJobAge/2 (so it never misses a finished job's
# record): 5 keeps it polling every 2 s (the default, 300, waits up to 32 s
# after the job ends). Finished jobs' records are purged 5 s after they end.
MinJobAge=5
$node State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
}

up() {
  [ "$(id -u)" -eq 0 ] || cannot "needs root (slurmd runs jobs as their user)"
  ensure_packages
  if [ -z "$DIR" ]; then DIR=$(mktemp -d /tmp/ctxslurm.XXXXXX); fi
  mkdir -p "$DIR"
  DIR=$(cd "$DIR" && pwd -P)   # the daemons work from /: absolute paths only
  [ -z "$(ls -A "$DIR")" ] || cannot "$DIR is not empty; give a fresh folder"
  case ",$(findmnt -no OPTIONS --target "$DIR" 2>/dev/null)," in
    *,noexec,*) cannot "$DIR is on a noexec mount (jobs could not start)" ;;
  esac
  mkdir -p "$DIR"/{etc,munge,state,spool,log}
  # munged wants its socket folder and every parent searchable by all, and no
  # parent writable by group/others unless sticky (as /tmp is).
  chmod 0755 "$DIR" "$DIR/munge" "$DIR/etc" "$DIR/log"
  local p=$DIR
  while [ "$p" != / ]; do
    p=$(dirname "$p")
    [ $(( 0$(stat -c %a "$p") & 01 )) -ne 0 ] || cannot "$p is not searchable by others (munge needs o+x)"
  done
  [ ${#DIR} -lt 80 ] || cannot "$DIR is too long for a unix socket path"
  pick_ports
  write_conf
  STARTED=1
  export SLURM_CONF=$DIR/etc/slurm.conf
  mungekey -c -k "$DIR/munge/key" || fail "mungekey could not make a key"
  env "$TAG=$DIR" munged -S "$DIR/munge/socket" --key-file="$DIR/munge/key" \
    --pid-file="$DIR/munge/munged.pid" --log-file="$DIR/log/munged.log" \
    --seed-file="$DIR/munge/seed" || fail "munged did not start"
  munge -n -S "$DIR/munge/socket" | unmunge -S "$DIR/munge/socket" >/dev/null ||
    fail "munge cannot encode and decode a credential"
  env "$TAG=$DIR" slurmctld -f "$SLURM_CONF" || fail "slurmctld did not start"
  env "$TAG=$DIR" slurmd -f "$SLURM_CONF" || fail "slurmd did not start"
  local state="" i
  for ((i = 0; i < TIMEOUT * 4; i++)); do
    state=$(sinfo -h -n localhost -o %T 2>/dev/null || true)
    [ "$state" = idle ] && break
    if ((i > 8)); then   # the started commands fork; watch the daemons themselves
      is_ours "$(pid_in "$DIR/slurmctld.pid")" slurmctld || fail "slurmctld exited"
      is_ours "$(pid_in "$DIR/slurmd.pid")" slurmd || fail "slurmd exited"
    fi
    sleep 0.25
  done
  [ "$state" = idle ] || fail "node not idle after ${TIMEOUT}s (state '$state')"
  say "up: $(sinfo -h -o '%D node, %c CPUs, %m MB, partition %P') ports $CTLD_PORT/$SLURMD_PORT"
  echo "$DIR"
}

down() {
  [ -n "$DIR" ] && [ -d "$DIR" ] || { say "down: no folder '$DIR'"; return 0; }
  DIR=$(cd "$DIR" && pwd -P)
  export SLURM_CONF=$DIR/etc/slurm.conf
  local ctld slurmd munged entry pid name i
  ctld=$(pid_in "$DIR/slurmctld.pid")
  slurmd=$(pid_in "$DIR/slurmd.pid")
  munged=$(pid_in "$DIR/munge/munged.pid")
  if is_ours "$ctld" slurmctld && [ -n "$(squeue -h -o %A 2>/dev/null)" ]; then
    # shellcheck disable=SC2046  # one argument per job id
    scancel $(squeue -h -o %A 2>/dev/null | sort -u) 2>/dev/null || true
    for ((i = 0; i < 40; i++)); do [ -z "$(squeue -h 2>/dev/null)" ] && break; sleep 0.25; done
  fi
  for entry in "$slurmd:slurmd" "$ctld:slurmctld" "$munged:munged"; do
    pid=${entry%%:*} name=${entry#*:}
    is_ours "$pid" "$name" || continue
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 40; i++)); do is_ours "$pid" "$name" || break; sleep 0.25; done
    if is_ours "$pid" "$name"; then say "$name $pid ignored TERM; killing"; kill -KILL "$pid" || true; fi
  done
  # Helpers the daemons started (slurmscriptd, slurmstepd) inherit the tag.
  # One grep reads every environment (a grep per process took ~20 s on a
  # loaded machine).
  local tagged
  tagged=$(grep -lzxF "$TAG=$DIR" /proc/[0-9]*/environ 2>/dev/null || true)
  for entry in $tagged; do
    entry=${entry%/environ}
    grep -q '^State:[[:space:]]*Z' "$entry/status" 2>/dev/null && continue
    say "killing leftover $(cat "$entry/comm" 2>/dev/null) ${entry#/proc/}"
    kill -KILL "${entry#/proc/}" 2>/dev/null || true
  done
  say "down: stopped (logs in $DIR/log)"
}

trap 'exit 130' INT TERM   # run the EXIT trap on signals too
case $ACTION in
  up)
    trap 'rc=$?; if [ $rc -ne 0 ] && [ -n "${STARTED:-}" ]; then down; fi; exit $rc' EXIT
    up
    ;;
  down)
    [ -n "$DIR" ] || { echo "usage: $0 down DIR" >&2; exit 2; }
    down
    ;;
  *)
    echo "usage: $0 up [DIR] | down DIR" >&2
    exit 2
    ;;
esac
