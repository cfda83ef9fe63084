#!/usr/bin/env python3
"""Reuters-21578 stories as plain documents, one a file (Python 3 standard library only).

Usage:
    python3 bench/reuters_prose.py OUT_DIR reut2-000.json ... reut2-021.json
    python3 bench/reuters_prose.py --jsonl OUT.jsonl reut2-*.json

Input: the JSON conversion of Reuters-21578 in the public repository mihaibogdan10/json-reuters-21578
(json-data/reut2-0NN.json: a list of stories with "title" and "body"). Each story with a body becomes
rNNNNN.txt (or a JSON Lines record {"id", "text"}): its title on the first line, then each body paragraph
(blank-line or indented-line separated in the source) on a line of its own, white space runs collapsed,
the closing "REUTER" and the entity escapes removed. Real edited wire copy of 1987: the benchmark's
unique-text corpus and a harm check (the output of clean text should not change).
"""
import argparse, json, os, re


def stories(paths):
    for path in paths:
        for story in json.load(open(path, encoding="utf-8", errors="replace")):
            body = story.get("body") or ""
            body = body.replace("&#3;", "").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
            body = re.sub(r"\s+REUTER\s*$", "", body.strip())
            paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n {3,}", body)]
            paras = [p for p in paras if p]
            if not paras:
                continue
            title = " ".join((story.get("title") or "").replace("&lt;", "<").replace("&gt;", ">").split())
            yield "\n".join(([title] if title else []) + paras) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("--jsonl", action="store_true", help="write one JSON Lines file instead of a folder")
    a = ap.parse_args()
    if a.jsonl:
        with open(a.out, "w", encoding="utf-8") as f:
            for n, text in enumerate(stories(a.inputs)):
                f.write(json.dumps({"id": f"r{n:05d}", "text": text}, ensure_ascii=False) + "\n")
        return
    os.makedirs(a.out, exist_ok=True)
    for n, text in enumerate(stories(a.inputs)):
        with open(os.path.join(a.out, f"r{n:05d}.txt"), "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
