#!/usr/bin/python3
"""Agreement of the local estimate r_est with the exact pass's r_c, from `prune --estimate
--estimate-vs-pass` JSON files (docs/estimate-accuracy.sh): per file, over all channels of all
units (overall) and per unit, Pearson and Spearman correlation and the mean absolute error;
also how often r_est >= r_c (the estimate leaves out inherited damage) and the correlation of
R_est with R across units. Prints markdown tables."""
import json
import sys

import numpy as np


def ranks(x):
    """Ranks 1..n, ties sharing their mean rank (as Spearman's rho needs)."""
    order = np.argsort(x, kind="mergesort")
    r = np.empty(len(x))
    r[order] = np.arange(1, len(x) + 1)
    for v in np.unique(x):
        tie = x == v
        if tie.sum() > 1:
            r[tie] = r[tie].mean()
    return r


def pearson(a, b):
    a = a - a.mean()
    b = b - b.mean()
    return float((a * b).sum() / np.sqrt((a * a).sum() * (b * b).sum()))


def corr(a, b):
    """Pearson and Spearman; NaN when either side is constant (e.g. filter-l1 leaves a unit untouched)."""
    if len(a) < 3 or np.std(a) == 0 or np.std(b) == 0:
        return float("nan"), float("nan")
    return pearson(a, b), pearson(ranks(a), ranks(b))


def fmt(v, d=3):
    return "—" if v != v else f"{v:.{d}f}"


rows = []
per_unit = []
depth = []
for path in sys.argv[1:]:
    j = json.load(open(path))
    name = path.rsplit("/", 1)[-1][:-5]
    est, ex, R_est, R = [], [], [], []
    for u in j["units"]:
        if u.get("r_est") is None:
            continue
        a = np.array(u["r_est"])
        b = np.array(u["r"])
        est.append(a)
        ex.append(b)
        R_est.append(u["R_est"])
        R.append(u["R"])
        p, s = corr(a, b)
        per_unit.append((name, u["unit"], len(a), p, s, float(np.mean(np.abs(a - b))), u["R_est"], u["R"]))
    a = np.concatenate(est)
    b = np.concatenate(ex)
    p, s = corr(a, b)
    pu, su = corr(np.array(R_est), np.array(R))
    mine = per_unit[-len(est):]
    thirds = []
    for k in range(3):
        part = mine[k * len(mine) // 3:(k + 1) * len(mine) // 3]
        ps = [u[3] for u in part if u[3] == u[3]]
        maes = [u[5] for u in part]
        thirds.append((float(np.median(ps)) if ps else float("nan"), float(np.mean(maes))))
    depth.append((name, thirds))
    first = mine[0]
    rows.append((name, j["nEst"], len(est), len(a), p, s, float(np.mean(np.abs(a - b))), float(np.mean(a >= b - 1e-9)),
                 pu, su, first[5]))

print("| model, pruning | N | units | channels | Pearson | Spearman | MAE | r_est >= r_c | Pearson R | Spearman R | MAE first unit |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    print(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {fmt(r[4])} | {fmt(r[5])} | {fmt(r[6], 4)} | {fmt(r[7], 2)} | "
          f"{fmt(r[8])} | {fmt(r[9])} | {r[10]:.1e} |")
print()
print("By depth (units in thirds, input to output): median over units of the per-unit Pearson, and mean MAE:")
print()
print("| model, pruning | first third: Pearson / MAE | middle third | last third |")
print("|---|---|---|---|")
for name, t in depth:
    print(f"| {name} | " + " | ".join(f"{fmt(p)} / {fmt(m, 4)}" for p, m in t) + " |")
print()
print("Per unit (Pearson, Spearman over the unit's channels; MAE; R_est and R):")
print()
print("| model, pruning | unit | channels | Pearson | Spearman | MAE | R_est | R |")
print("|---|---|---|---|---|---|---|---|")
for r in per_unit:
    print(f"| {r[0]} | {r[1]} | {r[2]} | {fmt(r[3])} | {fmt(r[4])} | {fmt(r[5], 4)} | {fmt(r[6])} | {fmt(r[7])} |")
