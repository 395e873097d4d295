#!/bin/bash
# Stops what start-slurm.sh started (slurmd, slurmctld, munged), by their pid files.
dir=${SLURM_HARNESS_DIR:-/tmp/nas-slurm}
for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid" /run/munge/munged.pid; do
  [ -s "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || continue
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
done
exit 0
