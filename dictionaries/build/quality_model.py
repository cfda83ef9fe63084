#!/usr/bin/env python3
"""Train dictionaries/quality_model.txt: the linear model that turns copydesk's
quality signals into a 0-100 score.

Usage (from the repository root, after building):
    build/copydesk score --jsonl --features -q --threads 2 \\
        < ../shared/eval/quality-dev/train.jsonl > /tmp/train_features.jsonl
    python3 dictionaries/build/quality_model.py ../shared/eval/quality-dev/train.jsonl \\
        /tmp/train_features.jsonl > dictionaries/quality_model.txt

The features are the ones copydesk itself computes (`copydesk score --features`),
so training and scoring share one implementation. The model is fitted to each
sentence's z-standardised direct-assessment score, then calibrated linearly to
the mean 0-100 score professional translators gave, so the output reads as "the
expected human score". Ridge regression on
standardised features (each clipped to +-5 SD, as in pipeline/quality.cpp),
Python standard library only, deterministic.
"""
import json
import math
import sys

RIDGE = 1.0  # L2 penalty, in units of the number of training rows / 1000


def solve(a, b):
    """Gaussian elimination with partial pivoting: a x = b."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(n):
            if r != c and m[r][c]:
                f = m[r][c] / m[c][c]
                for k in range(c, n + 1):
                    m[r][k] -= f * m[c][k]
    return [m[i][n] / m[i][i] for i in range(n)]


def load(gold_path, feature_path):
    gold = {}
    with open(gold_path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                g = json.loads(line)
                gold[g["id"]] = g
    rows = []
    with open(feature_path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                rows.append((gold[r["id"]], r["copydesk_quality"]["features"]))
    return rows


def fit(rows, names, target="z_mean"):
    n = len(rows)
    means = [sum(f[k] for _, f in rows) / n for k in names]
    sds = []
    for i, k in enumerate(names):
        v = sum((f[k] - means[i]) ** 2 for _, f in rows) / n
        sds.append(math.sqrt(v) if v > 1e-12 else 1.0)
    xs = [[max(-5.0, min(5.0, (f[k] - means[i]) / sds[i])) for i, k in enumerate(names)] for _, f in rows]
    ys = [g[target] for g, _ in rows]
    ybar = sum(ys) / n
    d = len(names)
    xtx = [[0.0] * d for _ in range(d)]
    xty = [0.0] * d
    xbar = [sum(x[i] for x in xs) / n for i in range(d)]
    for x, y in zip(xs, ys):
        xc = [x[i] - xbar[i] for i in range(d)]
        for i in range(d):
            xty[i] += xc[i] * (y - ybar)
            row = xtx[i]
            for j in range(d):
                row[j] += xc[i] * xc[j]
    for i in range(d):
        xtx[i][i] += RIDGE * n / 1000.0
    w = solve(xtx, xty)
    bias = ybar - sum(w[i] * xbar[i] for i in range(d))
    return means, sds, w, bias


def main():
    gold_path, feature_path = sys.argv[1], sys.argv[2]
    rows = load(gold_path, feature_path)
    names = list(rows[0][1].keys())
    # Fit on the annotator-standardised z score (what the judgements agree on),
    # then calibrate: the least-squares line from the fitted z to the 0-100 mean
    # score is folded into the weights, so the output reads as a 0-100 score.
    means, sds, w, bias = fit(rows, names, "z_mean")
    z = [bias + sum(w[i] * max(-5.0, min(5.0, (f[k] - means[i]) / sds[i])) for i, k in enumerate(names))
         for _, f in rows]
    y = [g["mean"] for g, _ in rows]
    zbar, ybar = sum(z) / len(z), sum(y) / len(y)
    slope = sum((a - zbar) * (b - ybar) for a, b in zip(z, y)) / sum((a - zbar) ** 2 for a in z)
    bias = ybar + slope * (bias - zbar)
    w = [slope * v for v in w]
    out = sys.stdout
    out.write(
        "# The quality model: a linear combination of copydesk's quality signals, calibrated to\n"
        "# a 0-100 score (the mean direct-assessment score professional translators would give).\n"
        "#   score = clamp(bias + sum(WEIGHT * clamp((value - MEAN) / SD, -5, 5)), 0, 100)\n"
        "# Signals and their meaning: pipeline/quality.h and docs/quality.md.\n"
        f"# Trained by dictionaries/build/quality_model.py on {len(rows)} machine-translated sentences\n"
        "# (../shared/eval/quality-dev/train.jsonl: MLQE-PE direct assessments, CC0 1.0;\n"
        "# ro-en, et-en, ru-en, ne-en, si-en), ridge regression on the features that\n"
        "# `copydesk score --features` computes. Retrain (do not edit by hand):\n"
        "#   build/copydesk score --jsonl --features -q --threads 2 \\\n"
        "#       < ../shared/eval/quality-dev/train.jsonl > /tmp/train_features.jsonl\n"
        "#   python3 dictionaries/build/quality_model.py ../shared/eval/quality-dev/train.jsonl \\\n"
        "#       /tmp/train_features.jsonl > dictionaries/quality_model.txt\n"
        "# Lines: 'signal NAME MEAN SD WEIGHT' (WEIGHT in score points per SD) and 'bias VALUE'.\n"
    )
    out.write(f"bias {bias:.4f}\n")
    for i, k in enumerate(names):
        out.write(f"signal {k} {means[i]:.6g} {sds[i]:.6g} {w[i]:.4f}\n")


if __name__ == "__main__":
    main()
