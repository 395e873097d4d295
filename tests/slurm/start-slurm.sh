#!/bin/bash
# A one-host Slurm cluster for tests (Debian's slurm-wlm + munge; run as root): a munge key and munged,
# a one-node slurm.conf, slurmctld and slurmd, then waits until `sinfo` shows the node idle.
# State lives under $SLURM_HARNESS_DIR (default /tmp/nas-slurm); stop it with stop-slurm.sh.
set -euo pipefail
dir=${SLURM_HARNESS_DIR:-/tmp/nas-slurm}
host=$(hostname -s)
[ "$(id -u)" -eq 0 ] || { echo "start-slurm.sh: must run as root (slurmd and munged)" >&2; exit 2; }
for tool in munged slurmctld slurmd sinfo; do
  command -v "$tool" >/dev/null || { echo "start-slurm.sh: $tool not found (apt-get install slurm-wlm munge; .ci/run installs them)" >&2; exit 2; }
done
mkdir -p "$dir"/{state,spool,log} /etc/munge /var/log/munge /var/lib/munge /run/munge
chown -R munge:munge /etc/munge /var/log/munge /var/lib/munge /run/munge 2>/dev/null || true

if [ ! -s /etc/munge/munge.key ]; then
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
  chown munge:munge /etc/munge/munge.key 2>/dev/null || true
  chmod 400 /etc/munge/munge.key
fi
if ! munge -n </dev/null >/dev/null 2>&1; then
  if id munge >/dev/null 2>&1; then runuser -u munge -- munged --force; else munged --force; fi
  for _ in $(seq 50); do munge -n </dev/null >/dev/null 2>&1 && break; sleep 0.2; done
fi

if sinfo -h -N -o '%t' 2>/dev/null | grep -qx idle; then echo "slurm: $host idle (already running)"; exit 0; fi

mkdir -p /etc/slurm
cat >/etc/slurm/slurm.conf <<CONF
ClusterName=nastest
SlurmctldHost=$host
AuthType=auth/munge
CryptoType=crypto/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
ReturnToService=2
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
KillWait=5
MinJobAge=600
SchedulerParameters=defer_batch
# 8 CPUs whatever the machine has (config_overrides): a test runs several tasks per node (--ntasks-per-node=3).
SlurmdParameters=config_overrides
NodeName=$host CPUs=8 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4
CONF
echo "ConstrainCores=no" >/etc/slurm/cgroup.conf

slurmctld -i
slurmd
for _ in $(seq 120); do
  if sinfo -h -N -o '%t' 2>/dev/null | grep -qx idle; then echo "slurm: $host idle"; exit 0; fi
  sleep 0.5
done
echo "start-slurm.sh: node $host did not become idle; see $dir/log" >&2
sinfo -N >&2 || true
exit 1
