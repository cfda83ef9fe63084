#!/usr/bin/env python3
"""Plain documents from Debian's `fortunes` package: a second corpus of real English that no rule here was
tuned on, for whole-corpus harm runs (Python 3 standard library).

Usage:
    cd /tmp && apt-get download fortunes && dpkg-deb -x fortunes_*.deb fortunes
    python3 bench/heldout/fortunes_prose.py /tmp/fortunes/usr/share/games/fortunes /tmp/fortunes-docs

Each fortune file (the `%`-separated cookies; the ASCII-art files are left out) becomes documents of 40 cookies
each, DIR/NAME-NNN.txt. A cookie's hard-wrapped lines are joined into paragraphs: a blank line or an indented line
(an attribution "-- Name", a verse, a heading) starts a new one, so each paragraph stands on one line as copydesk
expects. The text is otherwise left as the package has it: quotes, dialogue, verse, jokes, code and shouting, the
kind of edited text that must come out unchanged where nothing is broken.

Harm run: clean the documents with two builds and read every difference, e.g.
    build/copydesk clean -q -j 1 --out-dir /tmp/out-new /tmp/fortunes-docs/*.txt
    diff -r /tmp/out-old /tmp/out-new
"""
import os, re, sys

SKIP = {"art", "ascii-art"}
PER_DOC = 40


def paragraphs(cookie):
    paras, cur = [], []
    for line in cookie.splitlines():
        if not line.strip():
            if cur:
                paras.append(" ".join(cur))
            cur = []
        elif line[:1] in (" ", "\t"):
            if cur:
                paras.append(" ".join(cur))
            cur = [line.strip()]
        else:
            cur.append(line.strip())
    if cur:
        paras.append(" ".join(cur))
    return [re.sub(r"\s+", " ", p) for p in paras]


def main(src, out):
    os.makedirs(out, exist_ok=True)
    n_docs = 0
    for name in sorted(os.listdir(src)):
        path = os.path.join(src, name)
        if "." in name or name in SKIP or not os.path.isfile(path) or os.path.islink(path):
            continue
        text = open(path, encoding="utf-8", errors="replace").read()
        cookies = [c for c in re.split(r"(?m)^%\s*$", text) if c.strip()]
        for k in range(0, len(cookies), PER_DOC):
            doc = "\n\n".join("\n".join(paragraphs(c)) for c in cookies[k:k + PER_DOC])
            with open(os.path.join(out, f"{name}-{k // PER_DOC:03d}.txt"), "w", encoding="utf-8") as f:
                f.write(doc + "\n")
            n_docs += 1
    print(f"{n_docs} documents in {out}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
