#!/bin/sh
# Regenerates bench/results/multi-fidelity.md: Optuna's RandomSampler, TPESampler, TPESampler + HyperbandPruner and
# RandomSampler + MedianPruner (bench/peers/optuna_multifidelity.py, Debian's python3-optuna) and then NasActors' strategies (`nas bench
# multi-fidelity`, which puts Optuna's rows beside its own) on the same learning-curve table, budget, workers and seeds.
# RUNS (default 200, even) runs per row, seeds 0..RUNS-1; BUDGET simulated seconds per run; WORKERS simulated trainers.
set -eu
cd "$(dirname "$0")/.."
TABLE=${TABLE:-data/mlp-bench/mlp-digits.csv.gz}
SPEC=${SPEC:-bench/tables/mlp-digits.yaml}
RUNS=${RUNS:-200}
BUDGET=${BUDGET:?set BUDGET, the simulated seconds per run}
WORKERS=${WORKERS:-4}
OUT=${OUT:-bench/results/multi-fidelity}
mkdir -p "$OUT"
HALF=$((RUNS / 2))
# Independent processes (each half of the runs of a sampler): TPE+Hyperband is the slow one.
for s in random tpe tpe+hyperband random+median; do
    for first in 0 "$HALF"; do
        /usr/bin/python3 bench/peers/optuna_multifidelity.py --table "$TABLE" --runs "$HALF" --first-run "$first" --seed 0 \
            --budget-seconds "$BUDGET" --workers "$WORKERS" --samplers "$s" --out "$OUT/peer-$s-$first.csv" &
    done
done
wait
{ echo "strategy,run,at,quality"; for f in "$OUT"/peer-*-*.csv; do tail -n +2 "$f"; done; } > "$OUT/peer-anytime.csv"
rm "$OUT"/peer-*-*.csv
dotnet run -c Release --project src/NasActors.Cli -- bench multi-fidelity --table "$TABLE" --spec "$SPEC" \
    --runs "$RUNS" --budget-seconds "$BUDGET" --workers "$WORKERS" --seed 0 --out "$OUT"
