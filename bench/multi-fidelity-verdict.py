#!/usr/bin/python3
"""Paired verdict of a `nas bench multi-fidelity` run: for every strategy (NasActors' and the Optuna peer's) the mean
incumbent quality ± its standard error at fractions of the budget, and the difference from a baseline strategy on
the same runs (same seeds) with the standard error of that paired difference.

    bench/multi-fidelity-verdict.py bench/results/multi-fidelity BUDGET_SECONDS [--baseline random]

Reads FOLDER/anytime.csv and, when present, FOLDER/peer-anytime.csv (strategy,run,at,quality); prints markdown.
A run with no result yet at a mark counts as missing there (the cell says how many runs it averages).
"""
import argparse
import bisect
import csv
import math
import os
from collections import defaultdict


def read(path, curves):
    with open(path) as f:
        for row in csv.DictReader(f):
            curves[row["strategy"]][int(row["run"])].append((float(row["at"]), float(row["quality"])))


def at(points, t):
    points.sort()
    i = bisect.bisect_right([p[0] for p in points], t)
    return points[i - 1][1] if i > 0 else math.nan


def mean_se(values):
    values = [v for v in values if not math.isnan(v)]
    n = len(values)
    if n == 0:
        return math.nan, math.nan, 0
    m = sum(values) / n
    sd = math.sqrt(sum((v - m) ** 2 for v in values) / (n - 1)) if n > 1 else 0.0
    return m, sd / math.sqrt(n), n


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("folder")
    p.add_argument("budget", type=float)
    p.add_argument("--baseline", default="random")
    p.add_argument("--marks", default="0.25,0.5,1")
    a = p.parse_args()
    curves = defaultdict(lambda: defaultdict(list))
    read(os.path.join(a.folder, "anytime.csv"), curves)
    peer = os.path.join(a.folder, "peer-anytime.csv")
    if os.path.exists(peer):
        read(peer, curves)
    marks = [float(m) * a.budget for m in a.marks.split(",")]
    base = curves[a.baseline]
    print("| strategy | runs | " + " | ".join(f"at {m:g} s: mean ± s.e. (Δ vs {a.baseline} ± s.e.)" for m in marks) + " |")
    print("|---|---:|" + "---:|" * len(marks))
    for name, runs in curves.items():
        cells = []
        for m in marks:
            mean, se, n = mean_se([100 * at(pts, m) for pts in runs.values()])
            cell = f"{mean:.2f} ± {se:.2f}" + (f" ({n} runs)" if n < len(runs) else "")
            if name != a.baseline:
                shared = [r for r in runs if r in base]
                d, dse, _ = mean_se([100 * (at(runs[r], m) - at(base[r], m)) for r in shared])
                cell += f" ({d:+.2f} ± {dse:.2f})"
            cells.append(cell)
        print(f"| {name} | {len(runs)} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
