#!/usr/bin/env python3
"""Held-out mojibake check for copydesk's unicode stage (Python 3 standard library only).

Usage:
    python3 bench/heldout/mojibake.py make  --out CASES.jsonl [--seed 8] [--per-class 120] [--lang en]
        [--sentences bench/heldout/mojibake_sentences.txt]
    python3 bench/heldout/mojibake.py score --cases CASES.jsonl \
        --cmd 'build/copydesk clean --jsonl --changes-inline --only unicode -q -'

Source text: the translations shipped in the Debian message catalogues on this machine
(/usr/share/locale/*/LC_MESSAGES/*.mo: GTK, GLib, coreutils... in 100+ languages) and their English
originals, printed with typographic quotes, apostrophes, dashes and ellipses. None of it was looked at
while the stage's rules were written. `make` picks sentences (30-240 characters, NFC, no controls, no odd spaces),
and for each one makes a damaged copy per class:

    Windows-1252, Latin-1, MacRoman, Windows-1251, Windows-1250, ISO-8859-2, cp437
                        the UTF-8 bytes decoded with that encoding (undefined bytes as C1 controls)
    double-1252         the same through Windows-1252 twice
    nbsp-lost           Windows-1252 mojibake whose mis-decoded U+00A0 became a plain space
    cesu8-emoji         an English sentence with an emoji, its UTF-16 surrogates written as
                        CESU-8 and read as Windows-1252
    mixed-word          one word only read as Windows-1252, the rest intact
    clean               the sentence itself, which must come out unchanged

`score` runs the command once over all cases as JSON Lines ({"id", "text"}) and reports, per class,
how many came out exactly as the original (repaired), unchanged (missed), changed where every change
is right and the rest flagged (partly: each difference from the original lies inside a flagged span),
or changed otherwise (wrong), how many of the missed ones were flagged for review (with --changes-inline), and for the
clean class how many were changed (harmed) or flagged, with a few examples (--examples N).
"""
import argparse, collections, difflib, glob, json, os, random, struct, subprocess, sys, unicodedata

CODECS = [
    ("Windows-1252", "cp1252"),
    ("Latin-1", "latin-1"),
    ("MacRoman", "mac_roman"),
    ("Windows-1251", "cp1251"),
    ("Windows-1250", "cp1250"),
    ("ISO-8859-2", "iso8859_2"),
    ("cp437", "cp437"),
]
ODD = set("\u00a0\u00ad\u200b\u200c\u200d\u2060\ufeff\u202f\u205f\u3000") | {chr(c) for c in range(0x2000, 0x200B)}


def sloppy_decode(data, codec):
    """Decode single-byte `data`; a byte the encoding leaves undefined becomes the C1 control of its value."""
    out = []
    for b in data:
        try:
            out.append(bytes([b]).decode(codec))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out)


def read_mo(path):
    data = open(path, "rb").read()
    if len(data) < 20:
        return
    magic = struct.unpack("<I", data[:4])[0]
    e = "<" if magic == 0x950412DE else ">"
    _, n, orig, trans = struct.unpack(e + "4I", data[4:20])
    for i in range(n):
        try:
            olen, ooff = struct.unpack(e + "2I", data[orig + 8 * i: orig + 8 * i + 8])
            tlen, toff = struct.unpack(e + "2I", data[trans + 8 * i: trans + 8 * i + 8])
            msgid = data[ooff: ooff + olen].split(b"\0")[0].decode("utf-8")
            msgstr = data[toff: toff + tlen].split(b"\0")[0].decode("utf-8")
        except (struct.error, UnicodeDecodeError):
            continue
        yield msgid, msgstr


def usable(s):
    if not (30 <= len(s) <= 240) or s != unicodedata.normalize("NFC", s):
        return False
    if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 or c in ODD for c in s):
        return False
    if any(x in s for x in ("%", "<", ">", "\\", "_", "&", "{", "}", "|")):
        return False
    return any(ord(c) >= 0x80 for c in s) and sum(c.isalpha() for c in s) > len(s) // 2


def typographic(s):
    """English UI text with typographic punctuation, as a news site would print it."""
    out, double_open = [], True
    for i, c in enumerate(s):
        if c == "'":
            out.append("\u2019" if i > 0 and s[i - 1].isalnum() else "\u2018")
        elif c == '"':
            out.append("\u201c" if double_open else "\u201d")
            double_open = not double_open
        else:
            out.append(c)
    t = "".join(out).replace("...", "\u2026").replace(" - ", " \u2013 ").replace(" -- ", " \u2014 ")
    return t


def collect(rng):
    """Sentences by language: {lang: [sentences]}; English ("en") from the catalogues' original strings."""
    by_lang = collections.defaultdict(set)
    for path in sorted(glob.glob("/usr/share/locale/*/LC_MESSAGES/*.mo")):
        lang = path.split("/")[4]
        for msgid, msgstr in read_mo(path):
            if not msgid:
                continue
            if not lang.startswith("en") and usable(msgstr):
                by_lang[lang].add(" ".join(msgstr.split()))
            english = typographic(" ".join(msgid.split()))
            if usable(english):
                by_lang["en"].add(english)
    return {lang: sorted(v) for lang, v in by_lang.items() if v}


def own_sentences(path):
    """Sentences by language from a file of "language<TAB>sentence" lines ('#' starts a comment)."""
    by_lang = collections.defaultdict(list)
    for line in open(path, encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            lang, sentence = line.rstrip("\n").split("\t", 1)
            by_lang[lang].append(unicodedata.normalize("NFC", sentence))
    by_lang["en"] = [s for s in by_lang.get("en", [])] or [
        "The company\u2019s shares fell 3% on Monday \u2013 the sharpest drop this year.",
        "\u201cWe expect a recovery soon,\u201d the minister said\u2026",
    ]
    return dict(by_lang)


def pick(by_lang, rng, n, langs=None):
    langs = sorted(langs or by_lang)
    out = []
    seen = set()
    for _ in range(100 * n):
        if len(out) >= n:
            break
        lang = rng.choice(langs)
        s = rng.choice(by_lang[lang])
        if s not in seen:
            seen.add(s)
            out.append((lang, s))
    return out


def make(args):
    rng = random.Random(args.seed)
    by_lang = own_sentences(args.sentences) if args.sentences else collect(rng)
    if args.lang:
        by_lang = {args.lang: by_lang[args.lang]}
    cases = []

    def add(cls, lang, original, garbled):
        if garbled != original:
            cases.append({"id": f"{cls}-{len(cases)}", "class": cls, "lang": lang, "garbled": garbled,
                          "expected": original})

    n = args.per_class
    for label, codec in CODECS:
        for lang, s in pick(by_lang, rng, n):
            add(label, lang, s, sloppy_decode(s.encode("utf-8"), codec))
    for lang, s in pick(by_lang, rng, n):
        add("double-1252", lang, s, sloppy_decode(sloppy_decode(s.encode("utf-8"), "cp1252").encode("utf-8"), "cp1252"))
    made = 0
    for lang, s in pick(by_lang, rng, 40 * n):
        g = sloppy_decode(s.encode("utf-8"), "cp1252")
        if "\u00a0" in g and made < n:
            add("nbsp-lost", lang, s, g.replace("\u00a0", " "))
            made += 1
    emoji = [chr(c) for c in range(0x1F600, 0x1F64F)] + [chr(c) for c in range(0x1F300, 0x1F3F0)]
    for lang, s in pick({"en": by_lang.get("en", ["No English text found here."])}, rng, n):
        words = s.split(" ")
        k = rng.randrange(len(words) + 1)
        with_emoji = " ".join(words[:k] + [rng.choice(emoji)] + words[k:])
        utf16 = with_emoji.encode("utf-16-le")
        units = [utf16[i: i + 2] for i in range(0, len(utf16), 2)]
        cesu = b"".join(chr(int.from_bytes(u, "little")).encode("utf-8", "surrogatepass") for u in units)
        add("cesu8-emoji", lang, with_emoji, sloppy_decode(cesu, "cp1252"))
    for lang, s in pick(by_lang, rng, n):
        words = s.split(" ")
        idx = [i for i, w in enumerate(words) if any(ord(c) >= 0x80 for c in w)]
        if not idx:
            continue
        i = rng.choice(idx)
        words2 = list(words)
        words2[i] = sloppy_decode(words[i].encode("utf-8"), "cp1252")
        add("mixed-word", lang, s, " ".join(words2))
    for lang, s in pick(by_lang, rng, 3 * n):
        cases.append({"id": f"clean-{len(cases)}", "class": "clean", "lang": lang, "garbled": s, "expected": s})
    with open(args.out, "w", encoding="utf-8") as f:
        for c in cases:
            f.write(json.dumps(c, ensure_ascii=False) + "\n")
    print(f"{len(cases)} cases from {len(by_lang)} languages -> {args.out}")


def flag_spans(edits):
    """The flagged spans in output code points: the input spans shifted by the changes before them."""
    spans, shift = [], 0
    for e in sorted(edits, key=lambda e: (e["begin_cp"], e["end_cp"])):
        if e.get("kind") == "flag":
            spans.append((e["begin_cp"] + shift, e["end_cp"] + shift))
        else:
            shift += len(e["after"]) - (e["end_cp"] - e["begin_cp"])
    return spans


def only_in(got, expected, spans):
    """True where `got` differs from `expected` only inside flagged spans (every change made is right)."""
    if not spans:
        return False
    ops = difflib.SequenceMatcher(None, got, expected, autojunk=False).get_opcodes()
    return all(any(b <= i1 and i2 <= e for b, e in spans) for tag, i1, i2, _, _ in ops if tag != "equal")


def score(args):
    cases = [json.loads(l) for l in open(args.cases, encoding="utf-8")]
    if args.lang:
        cases = [c for c in cases if c["lang"] == args.lang]
    stdin = "".join(json.dumps({"id": c["id"], "text": c["garbled"]}, ensure_ascii=False) + "\n" for c in cases)
    run = subprocess.run(args.cmd, shell=True, input=stdin.encode("utf-8"), capture_output=True)
    if run.returncode not in (0,):
        sys.stderr.write(run.stderr.decode("utf-8", "replace"))
    out = {}
    for line in run.stdout.decode("utf-8").split("\n"):
        if not line.strip():
            continue
        r = json.loads(line)
        edits = r.get("copydesk_edits", [])
        flagged = any(e.get("kind") == "flag" for e in edits)
        out[r["id"]] = (r["text"], flagged, flag_spans(edits))
    stats = collections.defaultdict(collections.Counter)
    examples = collections.defaultdict(list)
    for c in cases:
        got, flagged, spans = out.get(c["id"], (None, False, []))
        if c["class"] == "clean":
            res = "kept" if got == c["expected"] else "harmed"
            stats[c["class"]]["flagged"] += flagged
        elif got == c["expected"]:
            res = "repaired"
        elif got == c["garbled"]:
            res = "missed"
            stats[c["class"]]["flagged"] += flagged
        elif got is not None and only_in(got, c["expected"], spans):
            res = "partly"
        else:
            res = "wrong"
        stats[c["class"]][res] += 1
        if res in ("harmed", "wrong", "missed", "partly") and len(examples[(c["class"], res)]) < args.examples:
            examples[(c["class"], res)].append((c["lang"], c["garbled"], got))
    print(f"{'class':14} {'cases':>5} {'repaired':>8} {'missed':>6} {'(flagged)':>9} {'partly':>6} {'wrong':>5} {'harmed':>6}")
    for cls in sorted(stats, key=lambda k: (k == "clean", k)):
        s = stats[cls]
        total = sum(v for k, v in s.items() if k != "flagged")
        if cls == "clean":
            print(f"{cls:14} {total:5} {'':>8} {'':>6} {s['flagged']:9} {'':>6} {'':>5} {s['harmed']:6}")
        else:
            print(f"{cls:14} {total:5} {s['repaired']:8} {s['missed']:6} {s['flagged']:9} {s['partly']:6} {s['wrong']:5} {'':>6}")
    for (cls, res), ex in sorted(examples.items()):
        for lang, g, got in ex:
            print(f"  {cls}/{res} [{lang}] {g!r}\n      -> {got!r}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd_name", required=True)
    m = sub.add_parser("make")
    m.add_argument("--out", required=True)
    m.add_argument("--seed", type=int, default=8)
    m.add_argument("--per-class", type=int, default=120)
    m.add_argument("--lang", help="take every sentence from this language (en: the English originals)")
    m.add_argument("--sentences", help="take the sentences from this file of language<TAB>sentence lines "
                   "(bench/heldout/mojibake_sentences.txt: 20 languages written for the check) instead of the catalogues")
    s = sub.add_parser("score")
    s.add_argument("--cases", required=True)
    s.add_argument("--cmd", required=True)
    s.add_argument("--examples", type=int, default=0)
    s.add_argument("--lang", help="only the cases of this language (en: the English originals)")
    args = ap.parse_args()
    make(args) if args.cmd_name == "make" else score(args)


if __name__ == "__main__":
    main()
