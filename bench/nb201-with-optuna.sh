#!/bin/sh
# Regenerates bench/results/nb201.md: the NasActors rows from `nas bench nb201`, then Optuna's RandomSampler and
# TPESampler measured on the same table, budget rule and seeds by bench/peers/optuna_nb201.py (Debian's
# python3-optuna: `apt-get install -y python3-optuna`), inserted into the same table.
# RUNS (default 500) runs per row, seeds 0..RUNS-1; presets were tuned on seeds 1000-1199 (see BenchStrategy.cs).
set -eu
cd "$(dirname "$0")/.."
RUNS=${RUNS:-500}
STRATEGIES=${STRATEGIES:-random,evolution,local,reinforce,manas,tpe,de,guided,predictor,bohb,nsga2}
dotnet run -c Release --project src/NasActors.Cli -- bench nb201 --strategies "$STRATEGIES" \
    --runs "$RUNS" --budget-seconds 12000 --workers 1 --seed 0 --out bench/results/nb201
/usr/bin/python3 bench/peers/optuna_nb201.py --runs "$RUNS" --seed 0 --budget-seconds 12000 \
    --csv bench/results/nb201/optuna-runs.csv --into bench/results/nb201.md
cat >> bench/results/nb201.md <<TEXT

Evaluation seeds: 0..$((RUNS - 1)) for every row. Tuning seeds: 1000..1199 (REINFORCE's and MANAS's step sizes were
chosen there by mean signal, 200 runs each, see [nb201-tuning.md](nb201-tuning.md); no other row is tuned). Isomorphism: no row merges isomorphic cells;
every row, Optuna's included, searches all 15,625 cells. Produced by \`RUNS=$RUNS bench/nb201-with-optuna.sh\`.
TEXT
