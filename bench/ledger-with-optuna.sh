#!/bin/sh
# Regenerates bench/results/ledger-throughput.md: NasActors' durable trials/s from `nas bench ledger`, then Optuna's
# in-memory and SQLite storages measured right after on the same machine by bench/peers/optuna_ledger.py (Debian's
# python3-optuna: `apt-get install -y python3-optuna`), added to the same table.
# TRIALS (default 20000) trials per NasActors row; MEMORY_TRIALS (default 5000) and SQLITE_TRIALS (default 200) for
# Optuna's storages, fewer because they slow down as a study grows (each ask scans the trials; SQLite commits every call).
set -eu
cd "$(dirname "$0")/.."
TRIALS=${TRIALS:-20000}
MEMORY_TRIALS=${MEMORY_TRIALS:-5000}
SQLITE_TRIALS=${SQLITE_TRIALS:-200}
dotnet run -c Release --project src/NasActors.Cli -- bench ledger --trials "$TRIALS" --out bench/results/ledger-throughput.md
/usr/bin/python3 bench/peers/optuna_ledger.py --memory-trials "$MEMORY_TRIALS" --sqlite-trials "$SQLITE_TRIALS" \
    --into bench/results/ledger-throughput.md
