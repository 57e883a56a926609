#!/usr/bin/env bash
# Starts a single-node Slurm cluster on this machine (Debian, root, no systemd) for the tests that
# submit real array jobs: munged, slurmctld and slurmd, with pid files that slurm-down.sh uses.
# Installs slurm-wlm and munge when missing (SLURM_UP_NO_INSTALL=1: fail instead). Writes
# /etc/slurm/slurm.conf only when absent or written by this script before. Idempotent: a cluster
# that already answers is left as it is. See ../shared/docs/single-node-slurm.md.
set -euo pipefail

MARK="# written by asr-workbench .ci/slurm-up.sh"
CONF=/etc/slurm/slurm.conf
LOGS=/var/log/slurm

if ! command -v slurmctld >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
  if [ "${SLURM_UP_NO_INSTALL:-0}" = 1 ]; then
    echo "slurm-up: slurm-wlm or munge is not installed" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq slurm-wlm munge
fi

# Munge: key owned by munge, mode 400; run dir owned by munge; daemon as munge.
if [ ! -s /etc/munge/munge.key ]; then
  mungekey -c -f
fi
chown munge:munge /etc/munge/munge.key
chmod 400 /etc/munge/munge.key
mkdir -p /run/munge
chown munge:munge /run/munge
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  su -s /bin/sh munge -c munged
  for _ in $(seq 50); do
    munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break
    sleep 0.1
  done
fi
munge -n | unmunge | grep -q Success || { echo "slurm-up: munge does not work" >&2; exit 1; }

if [ -f "$CONF" ] && ! head -1 "$CONF" | grep -qF "$MARK"; then
  echo "slurm-up: $CONF exists and was not written by this script; leaving it (and the cluster) alone" >&2
else
  host=$(hostname)
  cpus=$(nproc)
  mem_mb=$(awk '/MemTotal/ {print int($2 / 1024 * 0.9)}' /proc/meminfo)
  mkdir -p /etc/slurm /var/spool/slurmd /var/spool/slurmctld "$LOGS"
  cat > "$CONF" <<CONF
$MARK
ClusterName=asr-test
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=$LOGS/slurmctld.log
SlurmdLogFile=$LOGS/slurmd.log
NodeName=$host CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
fi

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
alive /run/slurmctld.pid || slurmctld -L "$LOGS/slurmctld.log"
alive /run/slurmd.pid || slurmd -L "$LOGS/slurmd.log"

for _ in $(seq 60); do
  if sinfo -h -o '%t' 2>/dev/null | grep -qE '^(idle|mix|alloc)'; then
    echo "slurm-up: node $(hostname) ready ($(sinfo -h -o '%c CPUs, %m MB'))"
    exit 0
  fi
  sleep 1
done
echo "slurm-up: the node did not become idle; see $LOGS" >&2
sinfo >&2 || true
exit 1
