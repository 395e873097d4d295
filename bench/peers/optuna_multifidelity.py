#!/usr/bin/python3
"""Optuna on a `nas bench build-table` learning-curve table, under the protocol of `nas bench multi-fidelity`.

Run by Debian's python3-optuna (bookworm: Optuna 3.1) with /usr/bin/python3; nothing else is needed. Run r (from --first-run) uses seed --seed + r.
Protocol, the same as the NasActors bench: W simulated workers train asynchronously on simulated time;
a trial of configuration c gets the curve of one seed of c in the table, drawn per trial from the run's
random stream, and pays that curve's recorded seconds per epoch it trains. Without a pruner a trial
trains all epochs and reports once. With a pruner it reports its validation accuracy after every epoch
and stops when `should_prune()` says so (it then paid only the epochs it trained). A result completing
after the budget does not count. The incumbent at time t is the best value among the results (a pruned
trial's result is its last reported value, at its last epoch) at the highest epoch reached so far; its
quality is the mean over the table's seeds of its final-epoch validation accuracy (never shown to Optuna).
The search space is the table's: depth and widths (a width only while the depth reaches it),
activation, dropout as categoricals, the learning rate log-uniform over the table's range, served by
the nearest learning rate of the table's grid (log scale), as NasActors' replay does; searched training
hyperparameters (";weight_decay=...;batch_size=..." in the table) likewise: weight decay log-uniform and
served by the nearest grid value, batch size categorical.
Samplers and pruners run at their defaults (TPE: n_startup_trials 10, univariate, constant_liar off;
HyperbandPruner: min_resource 1, max_resource = the table's epochs, reduction_factor 3), except that MedianPruner
(with RandomSampler, as NasActors' `median_stopping` draws uniformly) takes the settings of NasActors'
`median_stopping` row: a first check after 3 epochs, then every 3 (n_warmup_steps 3, interval_steps 3), once 5
trials have completed (n_startup_trials 5, its default). Optuna compares with the median of the completed trials'
values at that step; NasActors with that of every earlier report at that epoch. Run r uses seed --seed + r, as
NasActors' run r does.

Writes OUT (strategy,run,at,quality), read by `nas bench multi-fidelity` from its output folder.
"""
import argparse
import bisect
import csv
import gzip
import heapq
import math
import random
import sys
import time
import zlib

import optuna


def load(path):
    """arch -> list of (val_accuracy per epoch, seconds per epoch), one per seed."""
    runs = {}
    with gzip.open(path, "rt") if path.endswith(".gz") else open(path) as f:
        for row in csv.DictReader(f):
            key = (row["arch"], int(row["seed"]))
            acc, sec = runs.setdefault(key, ([], []))
            acc.append(float(row["val_accuracy"]))
            sec.append(float(row["epoch_seconds"]))
    table = {}
    for (arch, seed), curve in sorted(runs.items()):
        table.setdefault(arch, []).append(curve)
    return table


# Searched training hyperparameters (`hyperparameters:` in the spec) follow the architecture as ";name=value";
# these are log-uniform ranges in NasActors' space (served by the nearest grid value), the others categorical.
LOG_UNIFORM = {"lr", "weight_decay"}


def parse(arch):
    """(architecture decisions, searched hyperparameters) of a table row's configuration."""
    head, *hypers = arch.split(";")
    return dict(part.split("=", 1) for part in head.split("|")), dict(h.split("=", 1) for h in hypers)


def nearest(values, x):
    return min(values, key=lambda v: abs(math.log(v) - math.log(x)))


class Space:
    """The table's grid, read from its configuration strings (depth, w1.., act, dropout, lr, then any
    searched hyperparameters such as weight_decay and batch_size)."""

    def __init__(self, table):
        configs = [parse(a) for a in table]
        self.hyper_names = list(configs[0][1])
        self.by_key = {self.key(c, h): a for (c, h), a in zip(configs, table)}
        self.depths = sorted({int(c["depth"]) for c, _ in configs})
        self.widths = sorted({int(c["w1"]) for c, _ in configs})
        self.acts = sorted({c["act"] for c, _ in configs})
        self.dropouts = sorted({c["dropout"] for c, _ in configs}, key=float)
        self.lrs = sorted({float(c["lr"]) for c, _ in configs})
        self._nearest = {}
        self.hypers = {n: sorted({float(h[n]) if n in LOG_UNIFORM else h[n] for _, h in configs},
                                 key=float) for n in self.hyper_names}

    def key(self, c, h):
        depth = int(c["depth"])
        return (depth, tuple(int(c[f"w{i + 1}"]) for i in range(depth)), c["act"], c["dropout"], float(c["lr"]),
                tuple(float(h[n]) if n in LOG_UNIFORM else h[n] for n in self.hyper_names))

    def suggest(self, trial):
        depth = trial.suggest_categorical("depth", self.depths)
        widths = tuple(trial.suggest_categorical(f"w{i + 1}", self.widths) for i in range(depth))
        act = trial.suggest_categorical("act", self.acts)
        dropout = trial.suggest_categorical("dropout", self.dropouts)
        lr = trial.suggest_float("lr", self.lrs[0], self.lrs[-1], log=True)
        hypers = tuple(nearest(v, trial.suggest_float(n, v[0], v[-1], log=True)) if n in LOG_UNIFORM
                       else trial.suggest_categorical(n, v) for n, v in self.hypers.items())
        key = (depth, widths, act, dropout, nearest(self.lrs, lr), hypers)
        return self.by_key[key] if key in self.by_key else self.nearest_row(key)

    def nearest_row(self, key):
        """A table still being built lacks some grid configurations: as NasActors' replay does, serve the row with
        the fewest differing categorical decisions (depth, each layer's width with unused layers at the first
        width, activation, dropout, categorical hyperparameters) plus grid steps of log-uniform ones (lr, weight
        decay); ties are broken by a hash of both (a different hash than NasActors', equally unbiased)."""
        if key not in self._nearest:
            self._nearest[key] = min(self.by_key.items(), key=lambda row: (self.distance(key, row[0]),
                                                                          zlib.crc32(repr((key, row[0])).encode())))[1]
        return self._nearest[key]

    def distance(self, a, b):
        max_depth = self.depths[-1]

        def padded(widths):
            return widths + (self.widths[0],) * (max_depth - len(widths))

        def steps(values, x, y):
            return abs(values.index(x) - values.index(y))

        d = (a[0] != b[0]) + sum(x != y for x, y in zip(padded(a[1]), padded(b[1]))) + (a[2] != b[2]) + (a[3] != b[3])
        d += steps(self.lrs, a[4], b[4])
        for n, x, y in zip(self.hyper_names, a[5], b[5]):
            d += steps(self.hypers[n], x, y) if n in LOG_UNIFORM else (x != y)
        return d


def run_once(table, space, quality, sampler, pruner, workers, budget, seed):
    # A fixed study name: HyperbandPruner puts trial n in the bracket crc32(f"{study_name}_{n}") picks, and the default
    # name is a fresh UUID, so without this its runs were not reproducible (the samplers take their seed from the run).
    study = optuna.create_study(study_name=f"run-{seed}", direction="maximize", sampler=sampler, pruner=pruner)
    draw = random.Random(seed)
    epochs = len(next(iter(table.values()))[0][0])
    events = []  # (time, order, trial, arch, curve, epoch just finished)
    order = 0

    def start(now):
        nonlocal order
        trial = study.ask()
        arch = space.suggest(trial)
        curve = table[arch][draw.randrange(len(table[arch]))]
        if pruner is None:
            heapq.heappush(events, (now + sum(curve[1]), order, trial, arch, curve, epochs))
        else:
            heapq.heappush(events, (now + curve[1][0], order, trial, arch, curve, 1))
        order += 1

    for _ in range(workers):
        start(0.0)
    results, anytime = [], []
    top, best, incumbent = 0, -math.inf, None
    while events:
        now, _, trial, arch, curve, epoch = heapq.heappop(events)
        if now > budget:
            break
        value = curve[0][epoch - 1]
        finished = epoch == epochs
        if pruner is not None and not finished:
            trial.report(value, epoch)
            if trial.should_prune():
                study.tell(trial, state=optuna.trial.TrialState.PRUNED)
                finished = True
            else:
                heapq.heappush(events, (now + curve[1][epoch], order, trial, arch, curve, epoch + 1))
                order += 1  # unique tie-breaker: trials themselves do not compare
                continue
        else:
            study.tell(trial, value)
        results.append(epoch)
        if epoch > top:
            top, best = epoch, -math.inf
        if epoch == top and value > best:
            best = value
            if arch != incumbent:
                incumbent = arch
                anytime.append((now, quality[arch]))
        start(now)
    return anytime, len(results)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--table", required=True)
    p.add_argument("--runs", type=int, default=200)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--first-run", type=int, default=0, help="number of the first run (runs can be split over processes)")
    p.add_argument("--budget-seconds", type=float, required=True)
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--samplers", default="random,tpe,tpe+hyperband,random+median")
    p.add_argument("--out", required=True, help="the peer-anytime.csv to write")
    a = p.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    table = load(a.table)
    space = Space(table)
    epochs = len(next(iter(table.values()))[0][0])
    quality = {arch: sum(c[0][-1] for c in curves) / len(curves) for arch, curves in table.items()}
    makers = {
        "random": ("optuna Random", lambda s: (optuna.samplers.RandomSampler(seed=s), None)),
        "tpe": ("optuna TPE", lambda s: (optuna.samplers.TPESampler(seed=s), None)),
        "tpe+hyperband": ("optuna TPE+Hyperband", lambda s: (optuna.samplers.TPESampler(seed=s),
                                                             optuna.pruners.HyperbandPruner(min_resource=1, max_resource=epochs, reduction_factor=3))),
        "random+median": ("optuna Random+Median", lambda s: (optuna.samplers.RandomSampler(seed=s), optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=3, interval_steps=3))),
    }
    with open(a.out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["strategy", "run", "at", "quality"])
        for name in a.samplers.split(","):
            label, make = makers[name]
            started, finals, counts = time.time(), [], []
            for r in range(a.first_run, a.first_run + a.runs):
                sampler, pruner = make(a.seed + r)
                anytime, count = run_once(table, space, quality, sampler, pruner, a.workers, a.budget_seconds, a.seed + r)
                w.writerows([label, r, f"{at:.3f}", f"{q:.5f}"] for at, q in anytime)
                finals.append(anytime[-1][1] if anytime else float("nan"))
                counts.append(count)
            print(f"{label}: {a.runs} runs in {time.time() - started:.1f} s, final quality {100 * sum(finals) / len(finals):.2f}, "
                  f"{sum(counts) / len(counts):.1f} results per run", file=sys.stderr)


if __name__ == "__main__":
    main()
