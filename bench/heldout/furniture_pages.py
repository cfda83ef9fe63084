"""What the held-out page generators C and D share: a page's lines turned into
one record of the boilerplate evaluation format (blank lines between all lines
on some pages), and the command line that writes OUT/docs.jsonl."""
import argparse
import json
import os
import random


def page_record(rng, lines, idx, name, blank_share):
    """`lines` is [(text, label)]; blank lines (unlabelled) follow every line on
    a share `blank_share` of pages."""
    blank = rng.random() < blank_share
    text_lines, labels = [], []
    for t, label in lines:
        text_lines.append(t)
        labels.append(label)
        if blank:
            text_lines.append("")
            labels.append(None)
    return {"id": f"{name}-{idx}", "source": f"heldout-{name}", "text": "\n".join(text_lines) + "\n",
            "lines": [{"text": t, "label": l} for t, l in zip(text_lines, labels) if l is not None]}


def main(make_maker, seed, wordings):
    """`make_maker(brown_dir, wordings_file, rng)` returns an object whose
    doc(i) is page i's record."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--brown", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--seed", type=int, default=seed)
    ap.add_argument("--wordings", default=wordings)
    a = ap.parse_args()
    maker = make_maker(a.brown, a.wordings, random.Random(a.seed))
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "docs.jsonl"), "w") as f:
        for i in range(a.docs):
            f.write(json.dumps(maker.doc(i), ensure_ascii=False) + "\n")
