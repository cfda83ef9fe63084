#!/usr/bin/env python3
"""Held-out check of the sentences stage on real prose nobody here wrote (Python 3 standard library).

Usage:
    python3 bench/heldout/sentence_glue.py --out DIR [--seed 11] PROSE_FILE...
    python3 bench/heldout/sentence_glue.py --score DIR [--bin build/copydesk] [--skip boilerplate]

Generate: PROSE_FILE is plain English prose, paragraphs separated by blank lines (the licence texts
in /usr/share/common-licenses, for instance). Sentence pairs are taken from its paragraphs and
damaged, one damage per case, by failure class:

    period      "word.Next"            glued after a period
    camel       "wordNext"             period and space lost
    lower       "word.next"            glued, the next sentence lost its capital
    tld_word    "word.so" / "word.It"  the next sentence opens with a word that is also a domain ending
    bang        "word!!Next", "word?!Next"
    close_quote "...word."Next", "...word.”Next"  a quoted sentence glued to the next
    number      "...in 1998.Next"      a sentence ending in a figure or an amount
    abbrev_end  "...Corp.Next"         a sentence ending in an abbreviation
    domain_end  "...at site.com.Next"  a sentence ending in a domain
    ellipsis    "word....Next"         an ellipsis and the sentence's period
    short_doc   a two-sentence document of short sentences, glued
    open_quote  "word“Next"            an opening curly quote glued to the word before it
    camel_name  "wordNext"             period and space lost before a word the source also writes
                                       capitalised inside sentences (a name)
    email_end   "...at ann@site.org.Next"  a sentence ending in an e-mail address
    url_end     "...at https://site.org.Next", "...www.site.com.Next"  a sentence ending in a URL
    list_num    "1) First item2) Second item3) Third"  numbered items on one line, glued
    list_letter "a) First itemb) Second item"          lettered items on one line, glued

and clean cases that must come out unchanged:

    clean_prose     the paragraphs themselves
    wire_story      a real headline and dateline above a paragraph (Reuters-21578 input)
    abbrev_mid      a sentence with a lower-case abbreviation ("dept.", "approx.", "no.") before a lower-case word
    headline        a headline or dateline line, a byline, a caption and list items around a paragraph
    quoted_title    a quoted title ending in its own stop inside a sentence, followed by a capitalised word
    bang_query      "!?" between sentences written correctly (space kept, no line break)
    list_clean      numbered or lettered items on one line, written correctly
    address_mid     e-mail addresses and URLs inside sentences and at sentence ends, written correctly
    lost_space_name a space lost inside a sentence before a capitalised word ("wordName"): no sentence
                    break may be inserted (the text unchanged or the space restored both pass)

Each case is one document DIR/CLASS-N.in.txt with DIR/CLASS-N.gold.txt (and DIR/CLASS-N.alt.txt, another
acceptable output, where there is one).
Score: cleans every .in.txt with `BIN clean -q --out-dir` in one run and counts, per class, the documents whose
output equals the gold text (white space runs and blank lines collapsed).
"""
import argparse, json, os, random, re, subprocess, sys, tempfile
from collections import defaultdict

SENT_SPLIT = re.compile(r"(?<=[a-z0-9)][.])\s+(?=[A-Z])")
PLAIN_END = re.compile(r"^[A-Za-z][a-z]{2,}\.$")
TLD_OPENERS = {"It", "In", "So", "No", "To", "At", "By", "My", "Is", "Do", "Me", "Us", "Be", "Am"}
ABBREV_MID = ["approx.", "dept.", "no.", "esp.", "cf.", "incl.", "est.", "fig."]
HEAD_SOURCES = ["Reuters", "AP", "AFP", "Kyodo", "Yonhap"]
CITIES = ["LISBON", "NAIROBI", "OSLO", "LIMA", "HANOI", "QUITO"]
MONTHS = ["March", "June", "October", "December"]
SURNAMES = ["Okafor", "Lindqvist", "Barros", "Tanaka", "Moreau", "Kowalski"]
GIVEN = ["Amara", "Jonas", "Ines", "Kenji", "Claire", "Piotr"]


def prose_ok(p):
    return len(p.split()) >= 12 and p[:1].isupper() and p.endswith(".") and not re.search(r"[<>{}=|_/\\@#`]", p)


def paragraphs(path):
    """Paragraphs of a prose file (blank-line separated), or of the stories of a Reuters-21578 JSON file
    (a list of {"title", "dateline", "body"}; body paragraphs start with four spaces)."""
    text = open(path, encoding="utf-8", errors="replace").read()
    if path.endswith(".json"):
        for story in json.loads(text):
            body = story.get("body", "").replace("&#3;", "").replace("&lt;", "<").replace("&gt;", ">")
            body = re.sub(r"\s+REUTER\s*$", "", body.strip())
            for block in re.split(r"\n {3,}", body):
                p = " ".join(block.split())
                if prose_ok(p):
                    yield p
        return
    for block in re.split(r"\n\s*\n", text):
        p = " ".join(block.split())
        if prose_ok(p):
            yield p


def stories(path):
    """(title, dateline) pairs of a Reuters-21578 JSON file."""
    if path.endswith(".json"):
        for story in json.loads(open(path, encoding="utf-8", errors="replace").read()):
            if story.get("title") and story.get("dateline"):
                title = story["title"].strip().replace("&lt;", "<").replace("&gt;", ">")
                yield title, " ".join(story["dateline"].split())


def sentences(p):
    return [s for s in SENT_SPLIT.split(p) if 4 <= len(s.split()) <= 45 and s[:1].isupper() and s.endswith(".")]


def pairs(paras):
    for p in paras:
        ss = sentences(p)
        for a, b in zip(ss, ss[1:]):
            if (a + " " + b) in p:
                yield p, a, b


def glue(p, a, b, left, right):
    """p with the pair a b replaced by a garbled join."""
    return p.replace(a + " " + b, left + right, 1)


def first_word(s):
    return s.split()[0]


def main_generate(args):
    rng = random.Random(args.seed)
    paras = [p for f in args.inputs for p in paragraphs(f)]
    allpairs = list(pairs(paras))
    rng.shuffle(allpairs)
    cases = defaultdict(list)

    def add(cls, garbled, gold):
        if len(cases[cls]) < args.per_class and garbled != gold:
            cases[cls].append((garbled, gold))

    def add_clean(cls, text, alt=None):
        if len(cases[cls]) < args.per_class:
            cases[cls].append((text, text) if alt is None else (text, text, alt))

    # Words the source writes capitalised inside sentences: names, by its own usage.
    mid, initial = defaultdict(int), defaultdict(int)
    for p in paras:
        for s in sentences(p):
            ws = s.split()
            initial[ws[0]] += 1
            for w in ws[1:]:
                if re.match(r"^[A-Z][a-z]{2,}$", w):
                    mid[w] += 1
    mid_caps = {w for w, n in mid.items() if n >= 2 and n >= 3 * initial[w]}
    SITES = ["org", "com", "net", "co.uk", "info"]
    USERS = ["press", "info", "desk", "contact", "news"]

    for p, a, b in allpairs:
        last = a.split()[-1]
        nxt = first_word(b)
        plain_left = bool(PLAIN_END.match(last))
        plain_right = bool(re.match(r"^[A-Z][a-z]+$", nxt))
        if plain_left and plain_right:
            add("period", glue(p, a, b, a, b), p)
            if nxt in TLD_OPENERS:
                add("tld_word", glue(p, a, b, a, b[0].lower() + b[1:]), p)
                add("tld_word", glue(p, a, b, a, b), p)
            else:
                add("lower", glue(p, a, b, a, b[0].lower() + b[1:]), p)
            add("camel", glue(p, a, b, a[:-1], b), p)
            bang = rng.choice(["!!", "?!"])
            gold = glue(p, a, b, a[:-1] + bang + " ", b)
            add("bang", glue(p, a, b, a[:-1] + bang, b), gold)
            gold = glue(p, a, b, a[:-1] + ".... ", b)
            add("ellipsis", glue(p, a, b, a[:-1] + "....", b), gold)
            q = rng.choice([('"', '"'), ("\u201c", "\u201d")])
            gold = glue(p, a, b, q[0] + a + q[1] + " ", b)
            add("close_quote", glue(p, a, b, q[0] + a + q[1], b), gold)
            w = last[:-1]
            if len(w) >= 3 and w.isalpha() and w.islower():
                gold = glue(p, a, b, a[:-1] + " \u201c" + b[:-1] + ".\u201d", "")
                garbled = glue(p, a, b, a[:-1] + "\u201c" + b[:-1] + ".\u201d", "")
                add("open_quote", garbled, gold)
        if re.match(r"^\$?\d[\d,]*(\.\d+)?\.$", last) and plain_right:
            add("number", glue(p, a, b, a, b), p)
        if re.match(r"^(Inc|Corp|Co|Ltd|U\.S|U\.K)\.$", last) and plain_right:
            add("abbrev_end", glue(p, a, b, a, b), p)
        if plain_left and plain_right and len(cases["domain_end"]) < args.per_class:
            site = max((re.sub(r"[^a-z]", "", w.lower()) for w in a.split()), key=len) or "news"
            a2 = a[:-1] + " at " + site + rng.choice([".com.", ".org.", ".net."])
            add("domain_end", glue(p, a, b, a2, b), glue(p, a, b, a2 + " ", b))
        if len(a.split()) <= 20 and len(b.split()) <= 20 and plain_right and plain_left:
            add("short_doc", a + b, a + " " + b)
        if plain_left and plain_right and nxt in mid_caps:
            add("camel_name", glue(p, a, b, a[:-1], b), p)
        if plain_left and plain_right:
            site = max((re.sub(r"[^a-z]", "", w.lower()) for w in b.split()), key=len) or "news"
            user = rng.choice(USERS)
            a2 = a[:-1] + " at " + user + "@" + site + "." + rng.choice(SITES) + "."
            add("email_end", glue(p, a, b, a2, b), glue(p, a, b, a2 + " ", b))
            host = rng.choice(["https://", "http://www.", "www.", "https://www."]) + site + "." + rng.choice(SITES)
            a2 = a[:-1] + " at " + host + rng.choice(["", "/"]) + "."
            add("url_end", glue(p, a, b, a2, b), glue(p, a, b, a2 + " ", b))
            # Addresses written correctly: inside a sentence and at its end.
            w = a[:-1].split()
            if len(w) > 6:
                k = rng.randrange(2, len(w) - 2)
                addr = rng.choice([user + "@" + site + ".org", "www." + site + ".com", "https://" + site + ".net/about"])
                clean = " ".join(w[:k] + ["(see", addr + ")"] + w[k:]) + ". " + b[:-1] + " at " + host + ". Thanks."
                add_clean("address_mid", glue(p, a, b, clean, ""))
        add_clean("clean_prose", p)
        if plain_right and plain_left:
            # "!?" written correctly must stay on one line with its space.
            add_clean("bang_query", glue(p, a, b, a[:-1] + "!? ", b))

    # Numbers at a sentence end are rare in prose: make some from a year clause.
    for p, a, b in allpairs:
        if len(cases["number"]) >= args.per_class:
            break
        if PLAIN_END.match(a.split()[-1]) and re.match(r"^[A-Z][a-z]+$", first_word(b)):
            year = str(rng.randint(1950, 2019))
            a2 = a[:-1] + " in " + year + "."
            add("number", glue(p, a, b, a2, b), glue(p, a, b, a2 + " ", b))

    # A space lost inside a sentence before a name: "...word Name..." -> "wordName".
    for p in paras:
        for s2 in sentences(p):
            ws = s2.split()
            hits = [i for i in range(2, len(ws) - 2) if re.match(r"^[a-z]{3,}$", ws[i - 1]) and ws[i] in mid_caps
                    and re.match(r"^[a-z]", ws[i + 1])]
            if hits:
                i = rng.choice(hits)
                glued = " ".join(ws[:i - 1] + [ws[i - 1] + ws[i]] + ws[i + 1:])
                add_clean("lost_space_name", p.replace(s2, glued, 1), p)
                break

    # Lists on one line: three consecutive sentences as items, the space before each later marker lost.
    for p in paras:
        ss = sentences(p)
        if len(ss) < 3:
            continue
        items = [" ".join(x.split()[:rng.randint(5, 9)]).rstrip(",;:.") for x in ss[:3]]
        if not all(re.search(r"[a-z]$", it) for it in items):
            continue
        style = rng.choice([")", ".)", "."])
        for cls, marks in (("list_num", ["1", "2", "3"]), ("list_letter", rng.choice([["a", "b", "c"], ["A", "B", "C"]]))):
            stop = rng.choice(["", "."])
            parts = [m + style + " " + it + stop for m, it in zip(marks, items)]
            gold = " ".join(parts)
            garbled = parts[0] + "".join(parts[1:]) if stop else "".join(parts)
            add(cls, garbled, gold)
            add_clean("list_clean", gold)

    heads = [h for f in args.inputs for h in stories(f)]
    rng.shuffle(heads)
    for p, (title, dateline) in zip(paras, heads):
        # A real headline (wire style, capitals) and dateline above a real paragraph.
        add_clean("wire_story", title + "\n" + dateline + " " + p)

    for p in paras:
        words = p.split()
        if len(words) < 14:
            continue
        k = rng.randrange(4, min(len(words) - 4, 30))
        if not (words[k][:1].islower() and words[k].isalpha() and words[k - 1].isalpha()):
            continue
        if not sentences(p):
            continue
        ab = rng.choice(ABBREV_MID)
        add_clean("abbrev_mid", " ".join(words[:k] + [ab] + words[k:]))
        head = " ".join(sentences(p)[0].split()[:rng.randint(6, 11)]).rstrip(",;:.")
        src = rng.choice(HEAD_SOURCES)
        dateline = f"{rng.choice(CITIES)}, {rng.choice(MONTHS)} {rng.randint(1, 28)} ({src}) -"
        byline = f"By {rng.choice(GIVEN)} {rng.choice(SURNAMES)}"
        caption = "Photo: " + " ".join(words[:rng.randint(5, 9)]).rstrip(",;:.")
        items = ["- " + " ".join(s.split()[:8]).rstrip(",;:.") for s in sentences(p)[:3]]
        doc = "\n".join([head + " - " + src, byline, dateline + " " + p, caption] + items)
        add_clean("headline", doc)
        ws = sentences(p)[0].split()
        if len(ws) > 8:
            k = rng.randrange(3, len(ws) - 3)
            title = " ".join(words[:3]).rstrip(",;:.")
            t = ws[:k] + ["the", "report", "\u201c" + title + ".\u201d", rng.choice(GIVEN)] + ws[k:]
            add_clean("quoted_title", " ".join(t))

    os.makedirs(args.out, exist_ok=True)
    for cls, items in sorted(cases.items()):
        for n, (garbled, gold, *alt) in enumerate(items):
            with open(os.path.join(args.out, f"{cls}-{n:03d}.in.txt"), "w", encoding="utf-8") as f:
                f.write(garbled + "\n")
            with open(os.path.join(args.out, f"{cls}-{n:03d}.gold.txt"), "w", encoding="utf-8") as f:
                f.write(gold + "\n")
            if alt:
                with open(os.path.join(args.out, f"{cls}-{n:03d}.alt.txt"), "w", encoding="utf-8") as f:
                    f.write(alt[0] + "\n")
    print(" ".join(f"{c}={len(v)}" for c, v in sorted(cases.items())), file=sys.stderr)


def norm(t):
    return "\n".join(" ".join(l.split()) for l in t.splitlines() if l.strip())


def main_score(args):
    per = defaultdict(lambda: [0, 0])
    outdir = tempfile.mkdtemp()
    names = sorted(n for n in os.listdir(args.score) if n.endswith(".in.txt"))
    subprocess.run([args.bin, "clean", "-q", "-j", "1", "--out-dir", outdir] + args.skip +
                   [os.path.join(args.score, n) for n in names], check=True)
    fails = []
    for name in sorted(os.listdir(args.score)):
        if not name.endswith(".in.txt"):
            continue
        base = name[:-len(".in.txt")]
        cls = base.rsplit("-", 1)[0]
        text = open(os.path.join(args.score, name), encoding="utf-8").read()
        gold = open(os.path.join(args.score, base + ".gold.txt"), encoding="utf-8").read()
        out = open(os.path.join(outdir, name), encoding="utf-8").read()
        ok = norm(out) == norm(gold)
        alt = os.path.join(args.score, base + ".alt.txt")
        if not ok and os.path.exists(alt):
            ok = norm(out) == norm(open(alt, encoding="utf-8").read())
        per[cls][0] += ok
        per[cls][1] += 1
        if not ok:
            fails.append(base)
    for cls, (ok, n) in sorted(per.items()):
        print(f"{cls:14s} {ok:3d}/{n:<3d}")
    if args.fails:
        with open(args.fails, "w") as f:
            f.write("\n".join(fails) + "\n")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description="Held-out sentence-boundary cases from real prose.")
    ap.add_argument("inputs", nargs="*")
    ap.add_argument("--out")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--per-class", type=int, default=30)
    ap.add_argument("--score")
    ap.add_argument("--bin", default="build/copydesk")
    ap.add_argument("--skip", action="append", default=[], type=lambda v: f"--skip={v}",
                    help="stages to leave out while scoring (e.g. boilerplate, which cuts bylines as furniture)")
    ap.add_argument("--fails", help="write the names of the failed cases to this file")
    a = ap.parse_args()
    if a.score:
        main_score(a)
    elif a.out and a.inputs:
        main_generate(a)
    else:
        ap.error("give --out DIR and prose files, or --score DIR")
