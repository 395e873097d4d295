#!/bin/sh
# Regenerates bench/results/ledger-throughput.md: NasActors' durable trials/s from `nas bench ledger`, then Optuna's
# in-memory and SQLite storages measured right after on the same machine by bench/peers/optuna_ledger.py (Debian's
# python3-optuna: `apt-get install -y python3-optuna`), added to the same table.
# TRIALS (default 20000) trials per NasActors row and for Optuna in memory; SQLITE_TRIALS (default 1000) for Optuna's SQLite.
set -eu
cd "$(dirname "$0")/.."
TRIALS=${TRIALS:-20000}
SQLITE_TRIALS=${SQLITE_TRIALS:-1000}
dotnet run -c Release --project src/NasActors.Cli -- bench ledger --trials "$TRIALS" --out bench/results/ledger-throughput.md
/usr/bin/python3 bench/peers/optuna_ledger.py --memory-trials "$TRIALS" --sqlite-trials "$SQLITE_TRIALS" \
    --into bench/results/ledger-throughput.md
