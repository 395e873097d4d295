#!/usr/bin/python3
"""Optuna's RandomSampler and TPESampler on the NAS-Bench-201 table, under the protocol of `nas bench nb201`.

Run by Debian's python3-optuna (bookworm: Optuna 3.1) with /usr/bin/python3; nothing else is needed.
Protocol, the same as the NasActors bench with one worker: a run searches the six NB201 edges (five
operations each, Optuna categorical parameters) on `c10valid_val_acc_12ep`; each trial pays its
`c10valid_time_12ep_s` simulated seconds, and a trial completing after the budget (12,000 s) does not
count (the run stops there). The row reports the test columns of the cell with the best signal among
the counted trials. Run r uses seed `--seed` + r for the sampler, as NasActors' run r uses it for its search.
Samplers run at their defaults (TPE: n_startup_trials 10, n_ei_candidates 24, gamma min(ceil(0.1 n), 25),
prior_weight 1, consider_magic_clip, univariate; one worker, so no constant liar).

With --into, the rows are inserted into an existing bench/results/nb201.md summary table, before its
optimum row, and a paragraph on how they were measured and which side is ahead is appended. --from-csv
rebuilds the rows from an earlier run's per-run CSV instead of searching again.
"""
import argparse
import csv
import math
import statistics
import sys
import time

import optuna

OPS = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]
EDGES = [(1, 0), (2, 0), (2, 1), (3, 0), (3, 1), (3, 2)]  # (to node, from node), in the arch string's order
SIGNAL, COST = "c10valid_val_acc_12ep", "c10valid_time_12ep_s"
REPORT = [("c10", "c10_test_acc_200ep"), ("c100", "c100_test_acc_200ep")]


def load(path):
    with open(path, newline="") as f:
        return {row["arch"]: row for row in csv.DictReader(f)}


def arch_of(ops):
    nodes = []
    for to in (1, 2, 3):
        nodes.append("|" + "|".join(f"{ops[i]}~{src}" for i, (t, src) in enumerate(EDGES) if t == to) + "|")
    return "+".join(nodes)


def run_once(table, sampler, budget):
    study = optuna.create_study(direction="maximize", sampler=sampler)
    elapsed, best, evaluations = 0.0, None, 0
    while True:
        trial = study.ask()
        ops = [trial.suggest_categorical(f"edge{t}{s}", OPS) for t, s in EDGES]
        row = table[arch_of(ops)]
        elapsed += float(row[COST])
        if elapsed > budget:
            break
        signal = float(row[SIGNAL])
        study.tell(trial, signal)
        evaluations += 1
        if best is None or signal > float(best[SIGNAL]):
            best = row
    return best, evaluations


def summary_row(label, results):
    """results: (report values by column name, evaluations) per run."""
    cells = []
    for _, column in REPORT + [("signal", SIGNAL)]:
        values = [float(r[column]) for r, _ in results]
        cells.append(f"{statistics.mean(values):.2f} ± {statistics.stdev(values) if len(values) > 1 else 0:.2f}")
    return f"| {label} | " + " | ".join(cells) + f" | {statistics.mean(e for _, e in results):.1f} | {len(results)} |"


def row_means(text, label):
    """Mean and std of the c10 column of a summary row, or None when the table has no such row."""
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and cells[0] == label:
            mean, std = (float(x) for x in cells[1].split("±"))
            return mean, std, int(cells[-1])
    return None


def comparison(text, pairs):
    """One sentence per (NasActors row, Optuna row): which is ahead on c10, and by how many standard errors."""
    out = []
    for ours, theirs in pairs:
        a, b = row_means(text, ours), row_means(text, theirs)
        if a is None or b is None:
            continue
        se = math.sqrt(a[1] ** 2 / a[2] + b[1] ** 2 / b[2])
        diff = a[0] - b[0]
        verdict = ("a tie within noise" if abs(diff) < 2 * se
                   else f"{ours if diff > 0 else theirs} ahead")
        out.append(f"`{ours}` {a[0]:.2f} vs {theirs} {b[0]:.2f} on c10: {verdict} "
                   f"(difference {diff:+.2f}, standard error of the difference {se:.2f}).")
    return " ".join(out)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default="data/nb201/nb201_accuracy.csv")
    p.add_argument("--runs", type=int, default=500)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--budget-seconds", type=float, default=12_000)
    p.add_argument("--samplers", default="random,tpe")
    p.add_argument("--csv", default="bench/results/nb201/optuna-runs.csv")
    p.add_argument("--into", help="a nb201.md written by `nas bench nb201` to add the rows to")
    p.add_argument("--from-csv", action="store_true", help="rebuild the rows from --csv instead of running the samplers")
    a = p.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    table = load(a.data)
    makers = {
        "random": ("optuna RandomSampler", lambda seed: optuna.samplers.RandomSampler(seed=seed)),
        "tpe": ("optuna TPESampler", lambda seed: optuna.samplers.TPESampler(seed=seed)),
    }
    rows, per_run = [], []
    if a.from_csv:
        with open(a.csv, newline="") as f:
            recorded = list(csv.DictReader(f))
        for name in a.samplers.split(","):
            label = makers[name][0]
            mine = [r for r in recorded if r["sampler"] == label]
            results = [({**{c: r[n] for n, c in REPORT}, SIGNAL: r["signal"]}, int(r["evaluations"])) for r in mine]
            rows.append(summary_row(label, results))
    else:
        for name in a.samplers.split(","):
            label, make = makers[name]
            started = time.time()
            results = []
            for r in range(a.runs):
                best, evaluations = run_once(table, make(a.seed + r), a.budget_seconds)
                results.append((best, evaluations))
                per_run.append([label, r, a.seed + r, best["index"], best["arch"], best[SIGNAL], evaluations]
                               + [best[c] for _, c in REPORT])
            print(f"{label}: {a.runs} runs in {time.time() - started:.1f} s", file=sys.stderr)
            rows.append(summary_row(label, results))
        with open(a.csv, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["sampler", "run", "seed", "index", "arch", "signal", "evaluations"] + [n for n, _ in REPORT])
            w.writerows(per_run)
    print("\n".join(rows))
    if a.into:
        with open(a.into) as f:
            text = f.read()
        marker = "| *optimum of the table*"
        if marker not in text:
            sys.exit(f"{a.into}: no summary table (no '{marker}' row)")
        text = text.replace(marker, "\n".join(rows) + "\n" + marker, 1)
        text += (f"\nOptuna {optuna.__version__} rows: measured in the same run by `bench/peers/optuna_nb201.py` "
                 f"(Debian's python3-optuna) on the same table, signal, simulated-time budget rule "
                 f"({a.budget_seconds:g} s; a trial completing after it does not count) and seeds "
                 f"{a.seed}..{a.seed + a.runs - 1}, samplers at their defaults, one trial at a time. "
                 f"Per-run results: [nb201/optuna-runs.csv](nb201/optuna-runs.csv). "
                 + comparison(text, [("tpe", "optuna TPESampler"), ("random", "optuna RandomSampler")]) + "\n")
        with open(a.into, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
