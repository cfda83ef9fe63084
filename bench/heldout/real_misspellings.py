#!/usr/bin/env python3
"""Held-out check with real misspellings (Python 3 standard library; needs `hunspell` on PATH).

Real spelling errors from public corpora (Roger Mitton's Wikipedia and Aspell lists, "$correct" lines
followed by its misspellings, as mirrored in the GitHub repository ngais/CS175-Autocorrect under
DataSets/) are put into clean prose sentences, one misspelling a sentence, and each sentence is
cleaned as its own document through `copydesk clean --jsonl`:

    python3 bench/heldout/real_misspellings.py --lists wikipedia.dat aspell.dat --prose DIR \
        --cmd 'build/copydesk clean --jsonl -q' [--n 1200] [--seed 11]

DIR holds plain prose documents (e.g. bench/brown_prose.py's output). A sentence qualifies when it
has 8-40 words, and a lower-case word of 3+ letters that a list misspells; the misspelling must be
a non-word for Hunspell (en_US and en_GB) and lower case. Reports, for the misspelled word:
corrected (the original word restored), wrong word (changed to something else), left alone; and
harm: other words of the sentences changed. Deterministic for a given seed.

Lists in the Holbrook form ("misspelling count" lines) are read too. To tune on one part and report
on another, --part keeps the intended words whose CRC-32 is even (tune) or odd (test), and
--doc-part the prose documents of even or odd position in name order: the two halves share no
intended word and no document. --dump FILE writes every case with its outcome (JSON lines).

--cap N (default 3) lets each distinct misspelling stand in at most N sentences, so that a set measures
many errors rather than a few frequent ones (without it one misspelling of "and" filled a quarter of a
set); --cap 0 draws as before, with no cap (the same sentences for the same seed). Also reported:
misspellings that came out capitalised (a lower-case slip taken for a name), which should never happen.
"""
import argparse, json, os, random, re, subprocess, sys, zlib


def read_lists(paths):
    missp = {}
    for p in paths:
        cur = None
        for line in open(p, encoding="utf-8", errors="replace"):
            line = line.strip()
            if line.startswith("$"):
                cur = line[1:]
            elif cur and line and "_" not in line and "_" not in cur:
                missp.setdefault(cur, set()).add(line.split()[0])
    return missp


def hunspell_rejects(words):
    out = subprocess.run(["hunspell", "-d", "en_US,en_GB", "-l"], input="\n".join(words), capture_output=True,
                         text=True).stdout
    return set(out.split())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lists", nargs="+", required=True)
    ap.add_argument("--prose", required=True)
    ap.add_argument("--cmd", required=True)
    ap.add_argument("--n", type=int, default=1200)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--show", type=int, default=0, help="print this many wrong-word cases")
    ap.add_argument("--part", choices=["all", "tune", "test"], default="all")
    ap.add_argument("--doc-part", choices=["all", "even", "odd"], default="all")
    ap.add_argument("--dump", help="write each case and its outcome here (JSON lines)")
    ap.add_argument("--cap", type=int, default=3, help="sentences a distinct misspelling may fill (0: no cap)")
    a = ap.parse_args()
    missp = read_lists(a.lists)
    targets = {w for w in missp if re.fullmatch(r"[a-z]{3,}", w)}
    if a.part != "all":
        targets = {w for w in targets if zlib.crc32(w.encode()) % 2 == (0 if a.part == "tune" else 1)}
    cands = sorted({m for w in targets for m in missp[w] if re.fullmatch(r"[a-z]+", m) and m != w})
    nonwords = hunspell_rejects(cands)
    sentences = []
    for k, name in enumerate(sorted(os.listdir(a.prose))):
        if a.doc_part != "all" and k % 2 != (0 if a.doc_part == "even" else 1):
            continue
        for line in open(os.path.join(a.prose, name), encoding="utf-8"):
            for s in re.split(r"(?<=[.!?]) (?=[A-Z])", line.strip()):
                if 8 <= len(s.split()) <= 40:
                    sentences.append(s)
    rng = random.Random(a.seed)
    rng.shuffle(sentences)
    cases = []
    used = {}
    for s in sentences:
        if len(cases) >= a.n:
            break
        words = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[A-Za-z]+", s)]
        free = lambda m: m in nonwords and (a.cap == 0 or used.get(m, 0) < a.cap)
        options = [(b, e, w) for (b, e, w) in words if w in targets and any(free(m) for m in missp[w])]
        if not options:
            continue
        b, e, w = rng.choice(options)
        m = rng.choice(sorted(x for x in missp[w] if free(x)))
        used[m] = used.get(m, 0) + 1
        cases.append({"gold": s, "text": s[:b] + m + s[e:], "at": b, "word": w, "missp": m})
    inp = "".join(json.dumps({"id": i, "text": c["text"]}) + "\n" for i, c in enumerate(cases))
    out = subprocess.run(a.cmd, shell=True, input=inp, capture_output=True, text=True).stdout.splitlines()
    results = {json.loads(l)["id"]: json.loads(l)["text"] for l in out if l.strip()}
    corrected = wrong = alone = harmed = capitalised = 0
    shown = 0
    dump = open(a.dump, "w", encoding="utf-8") if a.dump else None
    for i, c in enumerate(cases):
        got = results.get(i, c["text"])
        if dump:
            dump.write(json.dumps({**c, "got": got}) + "\n")
        prefix, suffix = c["text"][:c["at"]], c["text"][c["at"] + len(c["missp"]):]
        other_ok = got.startswith(prefix) and got.endswith(suffix)
        if not other_ok:
            harmed += 1
            if got == c["gold"]:
                corrected += 1
            continue
        mid = got[len(prefix):len(got) - len(suffix)]
        if mid[:1].isupper():
            capitalised += 1
        if mid == c["word"]:
            corrected += 1
        elif mid == c["missp"]:
            alone += 1
        else:
            wrong += 1
            if shown < a.show:
                shown += 1
                print(f"  wrong: {c['missp']} -> {mid} (meant {c['word']})")
    n = len(cases)
    print(f"{n} sentences ({len(used)} distinct misspellings): corrected {corrected} ({100*corrected/n:.1f}%), "
          f"wrong word {wrong} ({100*wrong/n:.1f}%), left alone {alone} ({100*alone/n:.1f}%); "
          f"capitalised {capitalised}; sentences with another word changed: {harmed}")


if __name__ == "__main__":
    main()
