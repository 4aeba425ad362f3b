#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for `make test-slurm` and for trying the slurm executor (README,
# "Running on a Slurm cluster"): installs Debian's slurm-wlm and munge when missing, writes a minimal slurm.conf
# (node and controller on 127.0.0.1, unprivileged ports, proctrack/linuxproc, task/none, select/cons_tres, no
# accounting storage), starts munged with its own key and socket, slurmctld and slurmd, waits until sinfo shows
# the node idle; `stop` ends all three by their own pid files. Everything lives in one state folder.
# Usage: scripts/slurm/cluster.sh start|stop|status|env
#   SAFENET_SLURM_STATE  state folder (default /tmp/safenet-slurm)
#   SAFENET_SLURM_PORT   slurmctld port; slurmd uses the next one (default 16817)
# Clients (sbatch, scontrol, the package's slurm executor) need SLURM_CONF=$SAFENET_SLURM_STATE/slurm.conf:
# `eval "$(scripts/slurm/cluster.sh env)"` sets it.
set -euo pipefail
STATE=${SAFENET_SLURM_STATE:-/tmp/safenet-slurm}
PORT=${SAFENET_SLURM_PORT:-16817}
CONF=$STATE/slurm.conf
NODE=$(hostname -s)

say() { echo "slurm-cluster: $*" >&2; }

install_missing() {
  local missing=()
  for b in slurmctld slurmd sbatch munged; do command -v "$b" >/dev/null 2>&1 || missing+=("$b"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing slurm-wlm and munge (missing: ${missing[*]})"
  if [ "$(id -u)" != 0 ]; then say "not root: install slurm-wlm and munge with apt first"; exit 1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null; }
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

write_conf() {
  local cpus mem
  cpus=$(nproc)
  # RealMemory in MB, less 1 GiB for the system, so that slurmd's own check never drains the node
  mem=$(( $(awk '/MemTotal/ {print int($2/1024)}' /proc/meminfo) - 1024 ))
  mkdir -p "$STATE/ctld" "$STATE/d" "$STATE/log"
  cat > "$CONF.tmp" <<CONF
# written by scripts/slurm/cluster.sh for a one-node test cluster
ClusterName=safenet
SlurmctldHost=$NODE(127.0.0.1)
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
SlurmUser=$(id -un)
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$STATE/munge.socket
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/d
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=$STATE/log/slurmctld.log
SlurmdLogFile=$STATE/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
# finished jobs stay in scontrol show job for an hour (the executor reads their final state there)
MinJobAge=3600
KillWait=5
InactiveLimit=0
SlurmctldTimeout=30
SlurmdTimeout=60
SchedulerParameters=sched_interval=2
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
CONF
  mv "$CONF.tmp" "$CONF"
}

start() {
  install_missing
  mkdir -p "$STATE"
  chmod 0755 "$STATE"
  if alive "$STATE/munged.pid" && alive "$STATE/slurmctld.pid" && alive "$STATE/slurmd.pid"; then
    say "already running ($CONF)"
  else
    write_conf
    if [ ! -s "$STATE/munge.key" ]; then
      dd if=/dev/urandom bs=1 count=1024 of="$STATE/munge.key" status=none
      chmod 0400 "$STATE/munge.key"
    fi
    alive "$STATE/munged.pid" || munged --force --key-file="$STATE/munge.key" --socket="$STATE/munge.socket" \
      --pid-file="$STATE/munged.pid" --log-file="$STATE/log/munged.log" --seed-file="$STATE/munged.seed"
    alive "$STATE/slurmctld.pid" || SLURM_CONF=$CONF slurmctld -c -f "$CONF"
    alive "$STATE/slurmd.pid" || SLURM_CONF=$CONF slurmd -f "$CONF" -N "$NODE"
  fi
  local t=0 st=""
  while [ $t -lt 60 ]; do
    st=$(SLURM_CONF=$CONF sinfo -h -o %T 2>/dev/null | head -1 || true)
    case "$st" in idle*|mixed*|allocated*) say "node $NODE $st ($(nproc) CPUs); SLURM_CONF=$CONF"; return 0 ;; esac
    # a node left down/drained by an earlier run: resume it
    case "$st" in down*|drain*) SLURM_CONF=$CONF scontrol update nodename="$NODE" state=resume 2>/dev/null || true ;; esac
    sleep 1; t=$((t + 1))
  done
  say "node not idle after 60 s (sinfo: '${st}'); logs in $STATE/log"
  tail -5 "$STATE"/log/*.log >&2 || true
  exit 1
}

stop_pid() {
  local f=$STATE/$1.pid
  [ -f "$f" ] || return 0
  local pid; pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

stop() {
  if alive "$STATE/slurmctld.pid"; then
    # this cluster's own jobs end with it
    SLURM_CONF=$CONF scancel --full --quiet --user "$(id -un)" 2>/dev/null || true
    for _ in $(seq 1 30); do [ -z "$(SLURM_CONF=$CONF squeue -h 2>/dev/null)" ] && break; sleep 0.5; done
  fi
  stop_pid slurmd
  stop_pid slurmctld
  stop_pid munged
  say "stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) SLURM_CONF=$CONF sinfo; SLURM_CONF=$CONF squeue ;;
  env) echo "export SLURM_CONF=$CONF" ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
