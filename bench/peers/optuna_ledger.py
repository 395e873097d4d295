#!/usr/bin/python3
"""Optuna's trial throughput on its in-memory and SQLite storages, for bench/results/ledger-throughput.md.

Run by Debian's python3-optuna (bookworm: Optuna 3.1) with /usr/bin/python3; nothing else is needed.
The workload is the one `nas bench ledger` measures NasActors on: a random sampler over the same MLP space
(1-4 layers, widths 16-256, three activations, three dropouts, a log-uniform learning rate) and a no-op
objective, so the figure is the framework's own overhead per trial: ask, suggest, tell, and (SQLite) commit.
One worker in one process, `study.ask()`/`study.tell()` in a loop, as Optuna's own benchmarks drive it.
The SQLite study lives in a fresh temporary file, journal on disk, Optuna's defaults otherwise (SQLAlchemy).

With --into, the rows are added to an existing ledger-throughput.md below its table, with a sentence on
which side is ahead.
"""
import argparse
import os
import tempfile
import time

import optuna


def objective_free_trial(study):
    trial = study.ask()
    layers = trial.suggest_categorical("layers", [1, 2, 3, 4])
    for i in range(layers):
        trial.suggest_categorical(f"width{i}", [16, 32, 64, 128, 256])
    trial.suggest_categorical("activation", ["relu", "gelu", "tanh"])
    trial.suggest_categorical("dropout", [0.0, 0.1, 0.3])
    trial.suggest_float("lr", 1e-4, 1e-1, log=True)
    study.tell(trial, 0.0)


def measure(storage, trials, seed):
    study = optuna.create_study(storage=storage, sampler=optuna.samplers.RandomSampler(seed=seed), direction="maximize")
    started = time.perf_counter()
    for _ in range(trials):
        objective_free_trial(study)
    return time.perf_counter() - started


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--memory-trials", type=int, default=5000,
                   help="fewer than NasActors' 20,000: every ask scans the study's trials, so a study slows as it grows")
    p.add_argument("--sqlite-trials", type=int, default=200,
                   help="fewer still: Optuna's SQLite storage commits every call")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--into", help="a ledger-throughput.md written by `nas bench ledger` to add the rows to")
    a = p.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    rows = []
    memory = measure(None, a.memory_trials, a.seed)
    rows.append(("in-memory", a.memory_trials, memory))
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = measure(f"sqlite:///{os.path.join(tmp, 'optuna.db')}", a.sqlite_trials, a.seed)
    rows.append(("SQLite", a.sqlite_trials, sqlite))
    lines = [f"| 1 (optuna {optuna.__version__}, {storage}) | {trials} | – | {seconds:.2f} | {trials / seconds:.0f} |"
             for storage, trials, seconds in rows]
    print("\n".join(lines))
    if a.into:
        with open(a.into) as f:
            text = f.read()
        marker = "\n\nEach trial, in one exchange"
        if marker not in text:
            raise SystemExit(f"{a.into}: no ledger table (no paragraph starting 'Each trial, in one exchange')")
        ours = [line for line in text.splitlines() if line.startswith("| 1 |")]
        single = float(ours[0].strip("|").split("|")[-1]) if ours else None
        text = text.replace(marker, "\n" + "\n".join(lines) + marker, 1)
        sentence = (f"\n\nOptuna rows: measured in the same run by `bench/peers/optuna_ledger.py` (Debian's python3-optuna "
                    f"{optuna.__version__}): RandomSampler on the same MLP space, a no-op objective, one worker calling "
                    f"ask/tell; its SQLite storage is a fresh file; "
                    f"fewer trials than NasActors' rows, since Optuna's storages slow down as a study grows (so these rates flatter Optuna).")
        if single is not None:
            sqlite_rate = rows[1][1] / rows[1][2]
            memory_rate = rows[0][1] / rows[0][2]
            sentence += (f" With one trainer, NasActors' durable SQLite ledger ({single:.0f} trials/s) is "
                         f"{single / sqlite_rate:.0f}x Optuna's SQLite storage ({sqlite_rate:.0f}/s) and "
                         f"{single / memory_rate:.1f}x its in-memory storage ({memory_rate:.0f}/s), which keeps nothing.")
        text = text.rstrip("\n") + sentence + "\n"
        with open(a.into, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
