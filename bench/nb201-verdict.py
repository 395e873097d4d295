#!/usr/bin/python3
"""Verdict of a `bench/nb201-with-optuna.sh` run against issue #12's done-when: every row's mean ± standard error
(c10, c100 test accuracy and the search signal), its paired difference from a baseline row on the same seeds, the
pairs NasActors/Optuna compared, and each classic row against its published NB201 mean.

    bench/nb201-verdict.py bench/results/nb201 [--baseline random]

Reads FOLDER/runs.csv (NasActors, `strategy` column) and FOLDER/optuna-runs.csv (Optuna, `sampler` column); prints
markdown. Paired differences use the runs whose seed both rows have (every run, in one bench run).
"""
import argparse
import csv
import math
import os
from collections import defaultdict

COLUMNS = ["c10", "c100", "signal"]
# NAS-Bench-201 paper, Table 5 (500 runs), CIFAR-10 / CIFAR-100 test accuracy; the rows that reproduce them.
PUBLISHED = {"random": ("RS", 93.70, 71.04), "evolution": ("REA", 93.92, 71.84),
             "reinforce": ("REINFORCE", 93.85, 71.71), "tpe-kde (bohb, one rung)": ("BOHB", 93.61, 70.85)}
PAIRS = [("tpe", "optuna TPESampler"), ("random", "optuna RandomSampler"), ("manas", "random")]


def read(path, label_column, rows):
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            rows[r[label_column]][int(r["seed"])] = {c: float(r[c]) for c in COLUMNS}


def mean_se(values):
    n = len(values)
    m = sum(values) / n
    sd = math.sqrt(sum((v - m) ** 2 for v in values) / (n - 1)) if n > 1 else 0.0
    return m, sd / math.sqrt(n)


def paired(rows, a, b, column):
    seeds = sorted(set(rows[a]) & set(rows[b]))
    return mean_se([rows[a][s][column] - rows[b][s][column] for s in seeds]) + (len(seeds),)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("folder")
    p.add_argument("--baseline", default="random")
    a = p.parse_args()
    rows = defaultdict(dict)
    read(os.path.join(a.folder, "runs.csv"), "strategy", rows)
    peer = os.path.join(a.folder, "optuna-runs.csv")
    if os.path.exists(peer):
        read(peer, "sampler", rows)

    print(f"| row | runs | c10 mean ± s.e. (Δ vs {a.baseline} ± s.e.) | c100 mean ± s.e. | signal mean ± s.e. |")
    print("|---|---:|---:|---:|---:|")
    for name, runs in rows.items():
        cells = []
        for column in COLUMNS:
            m, se = mean_se([r[column] for r in runs.values()])
            cell = f"{m:.2f} ± {se:.3f}"
            if column == "c10" and name != a.baseline and a.baseline in rows:
                d, dse, _ = paired(rows, name, a.baseline, column)
                cell += f" ({d:+.2f} ± {dse:.3f})"
            cells.append(cell)
        print(f"| {name} | {len(runs)} | " + " | ".join(cells) + " |")

    print("\nPairs (paired difference on the same seeds ± its standard error; 'tie' when within one standard error):\n")
    for x, y in PAIRS:
        if x not in rows or y not in rows:
            continue
        for column in COLUMNS:
            d, se, n = paired(rows, x, y, column)
            verdict = "tie" if abs(d) <= se else (f"{x} ahead" if d > 0 else f"{y} ahead")
            print(f"- `{x}` − `{y}` on {column} ({n} seeds): {d:+.3f} ± {se:.3f} → {verdict} ({abs(d) / se if se else math.inf:.1f} s.e.)")

    print("\nClassic rows against their published means (NAS-Bench-201 Table 5):\n")
    for name, (paper, c10, c100) in PUBLISHED.items():
        if name not in rows:
            continue
        m10, se10 = mean_se([r["c10"] for r in rows[name].values()])
        m100, se100 = mean_se([r["c100"] for r in rows[name].values()])
        ok = m10 >= c10 and m100 >= c100
        print(f"- `{name}` vs {paper}: c10 {m10:.2f} ± {se10:.3f} vs {c10:.2f}, c100 {m100:.2f} ± {se100:.3f} vs {c100:.2f}"
              f" → {'≥ published' if ok else 'BELOW published'}")


if __name__ == "__main__":
    main()
