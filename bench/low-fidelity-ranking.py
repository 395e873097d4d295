#!/usr/bin/env python3
"""How far a learning-curve table's early epochs agree with its last: for epochs 1, 3 and 10, the Spearman correlation of
mean validation accuracy (over seeds) with epoch 30's, how many of the 50 best configurations at epoch 30 survive a
top-third cut at that epoch (what one eta=3 promotion keeps), and the learning rates of the epoch-1 top third against
those of the final top 50. Explains why a strategy that trusts low-fidelity rankings gains on one table and not on
another. Usage: bench/low-fidelity-ranking.py TABLE.csv.gz [...]"""
import csv
import gzip
import re
import sys
from collections import Counter, defaultdict


def load(path):
    accuracies = defaultdict(lambda: defaultdict(list))
    for row in csv.DictReader(gzip.open(path, "rt")):
        accuracies[row["arch"]][int(row["epoch"])].append(float(row["val_accuracy"]))
    return {arch: {epoch: sum(v) / len(v) for epoch, v in curve.items()} for arch, curve in accuracies.items()}


def ranks(values):
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0] * len(values)
    for rank, i in enumerate(order):
        result[i] = rank
    return result


def spearman(x, y):
    rx, ry = ranks(x), ranks(y)
    n = len(x)
    mx, my = sum(rx) / n, sum(ry) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    return cov / (sum((a - mx) ** 2 for a in rx) ** 0.5 * sum((b - my) ** 2 for b in ry) ** 0.5)


def best(values, count):
    return sorted(range(len(values)), key=lambda i: -values[i])[:count]


def learning_rates(archs):
    return dict(sorted(Counter(re.search(r"lr=([0-9.e-]+)", a).group(1) for a in archs).items()))


print("| table | epoch | Spearman vs last epoch | final top 50 kept by a top-third cut | learning rates of that top third | of the final top 50 |")
print("|---|---:|---:|---:|---|---|")
for path in sys.argv[1:]:
    table = load(path)
    archs = sorted(table)
    last = max(table[archs[0]])
    final = [table[a][last] for a in archs]
    top = best(final, 50)
    for epoch in (1, 3, 10):
        early = [table[a][epoch] for a in archs]
        kept = set(best(early, len(archs) // 3))
        print(f"| {path.split('/')[-1]} | {epoch} | {spearman(early, final):.2f} | {sum(1 for i in top if i in kept)}/50 | "
              f"{learning_rates(archs[i] for i in kept)} | {learning_rates(archs[i] for i in top)} |")
