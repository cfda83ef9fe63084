#!/usr/bin/env python3
"""Writes a JSON Lines test stream: N records {"id", "text"} made of the
paragraphs of the given text files, with a broken record every BAD_EVERY lines
(cycling through: not JSON, no text field, non-string text, invalid UTF-8), and
a few blank lines. Prints the 1-based line numbers of the broken records to
the file named by --bad-lines.

usage: make_jsonl.py --records N --bad-every K --bad-lines FILE OUT TEXTFILE...
"""
import argparse, json

ap = argparse.ArgumentParser()
ap.add_argument("--records", type=int, required=True)
ap.add_argument("--bad-every", type=int, default=0)
ap.add_argument("--bad-lines", required=True)
ap.add_argument("out")
ap.add_argument("texts", nargs="+")
a = ap.parse_args()

paragraphs = []
for path in a.texts:
    with open(path, encoding="utf-8") as f:
        paragraphs += [p for p in f.read().split("\n") if p.strip()]
broken = [
    b'{"id": "broken", "text": "unterminated\n',
    b'{"id": "no-text", "body": "the text is elsewhere"}\n',
    b'{"id": "number", "text": 42}\n',
    b'{"id": "latin1", "text": "caf\xe9"}\n',
]
bad_lines = []
with open(a.out, "wb") as out:
    line = 0
    for i in range(a.records):
        if a.bad_every and i % a.bad_every == a.bad_every - 1:
            out.write(broken[(i // a.bad_every) % len(broken)])
            line += 1
            bad_lines.append(line)
            continue
        record = {"id": f"r{i}", "source": "test", "text": paragraphs[i % len(paragraphs)]}
        out.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
        line += 1
        if i % 25000 == 0:
            out.write(b"\n")  # blank lines are not records
            line += 1
with open(a.bad_lines, "w") as f:
    f.write("\n".join(map(str, bad_lines)) + "\n")
