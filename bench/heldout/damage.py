#!/usr/bin/env python3
"""Damage generator for a held-out copydesk evaluation set (Python 3 standard library only).

Usage:
    python3 bench/heldout/damage.py --out OUT_DIR [--seed 7051] GOLD_FILE_OR_DIR...

Each gold file is one clean article laid out like the dev set's NAME.gold.txt: the title on the
first line, then one paragraph a line (blank lines are ignored).  For every input NAME.txt (or
NAME.gold.txt) the script writes, into OUT_DIR, in exactly the format of shared/eval/dev/:

    NAME.garbled.txt   the damaged article (the input a cleaner gets)
    NAME.gold.txt      the clean article (what the output should be)
    NAME.expect.jsonl  one JSON object per damage, checkable by shared/eval/score.py's met():
                       {"category", "garbled", "gold": [...], "absent"}  (windows with context), or
                       {"category", "line", "max_count"}                 (removed lines)

Categories: glued_sentence, comma_space, missing_final_period, lowercase_start, name_case,
misspelling, garble_noise, spacing, boilerplate, duplicate_line, glued_heading, quote_space.
About 10-14 damages per article.  The output is deterministic for a given --seed (each article's
generator is seeded from the seed and the article name), and every expectation is verified before
writing: its window/line occurs in the garbled text, is unmet there, and is met by the gold text.

Note on glued_heading: as in the dev set, a short fragment line (the first words of the lead
paragraph, like a pull-quote crosshead) is added to the GOLD text after a later paragraph, and the
garbled text glues it onto the end of that paragraph ("...in 1981.International films").
The boilerplate lines and misspellings here deliberately differ from the dev set's.

Then score:  python3 shared/eval/score.py --set OUT_DIR --cmd 'build/copydesk clean'
"""
import argparse, json, os, random, re, sys, zlib

BOILERPLATE = [
    "Share this story",
    "Share this article on WhatsApp",
    "Sign up to our morning briefing",
    "Get the morning briefing straight to your inbox - sign up now.",
    "Comments are closed.",
    "Most read",
    "Most popular this week",
    "Download our app for breaking news alerts",
    "© 2005 Example Times. All rights reserved.",
    "Continue reading below",
    "Advertisement – scroll to continue",
    "Story continues below advertisement",
    "Published 3 hours ago",
    "Updated 14:32 GMT, 12 February 2005",
    "1.2K shares",
    "Recommended for you",
    "Join the conversation (14 comments)",
    "Report an error in this article",
    "Listen to this article (4 min)",
    "Follow us on X and Threads for live updates",
    "Manage cookie preferences",
    "By continuing to browse this site you agree to our use of cookies.",
    "More on this story",
    "Top stories",
    "Jump to navigation",
    "Loading comments...",
    "Click here to subscribe for just £1 a week",
    "Previous article",
    "Watch: the week's biggest stories in 90 seconds",
    "Email | Print | Share",
]
BREADCRUMBS = {
    "business": "Home › News › Business",
    "politics": "Home › News › UK Politics",
    "tech": "Home › News › Technology",
    "entertainment": "Home › Culture › Film & TV",
    "sport": "Home › Sport › Football",
}

# correct word -> common real-world misspelling (chosen to differ from the dev set's)
MISSPELL = {
    "receive": "recieve", "received": "recieved", "believe": "beleive", "believes": "beleives",
    "which": "wich", "their": "thier", "because": "becuase", "separate": "seperate",
    "separately": "seperately", "until": "untill", "occurred": "occured", "across": "accross",
    "successful": "succesful", "business": "buisness", "beginning": "begining", "really": "realy",
    "committed": "commited", "necessary": "neccessary", "foreign": "foriegn", "whether": "wether",
    "independent": "independant", "finally": "finaly", "environment": "enviroment",
    "publicly": "publically", "achieve": "acheive", "already": "allready", "writing": "writting",
    "official": "offical", "officials": "offical", "million": "milion", "between": "betwen",
    "companies": "compaines", "decision": "descision", "especially": "expecially",
    "interest": "intrest", "competition": "competiton", "similar": "similiar",
    "immediately": "immediatly", "success": "sucess", "professional": "proffesional",
    "opportunity": "oppurtunity", "people": "poeple", "government": "govenment",
    "february": "febuary", "tomorrow": "tommorow", "amateur": "amatuer", "argument": "arguement",
    "calendar": "calender", "definitely": "definately", "embarrass": "embarass",
    "existence": "existance", "guarantee": "garantee", "guaranteed": "garanteed",
    "knowledge": "knowlege", "occasion": "occassion", "possession": "posession",
    "recommend": "recomend", "reference": "refrence", "relevant": "relevent",
    "responsibility": "responsability", "restaurant": "restaraunt", "surprise": "suprise",
    "surprised": "suprised", "threshold": "threshhold", "truly": "truely", "weird": "wierd",
    "advertising": "advertizing", "accommodation": "accomodation", "address": "adress",
    "financial": "finacial", "particularly": "particulary", "although": "allthough",
    "against": "agianst", "against.": "agianst", "announced": "anounced", "approval": "aproval",
    "campaign": "campain", "champion": "champoin", "colleagues": "collegues",
    "controversial": "controversal", "currently": "currantly", "different": "diffrent",
    "expected": "expectd", "experience": "experiance", "famous": "famouse", "field": "feild",
    "friend": "freind", "friends": "freinds", "further": "futher", "interview": "interveiw",
    "level": "levle", "minister": "minster", "months": "monthes", "performance": "perfomance",
    "position": "postion", "probably": "probaly", "process": "proccess", "research": "reserch",
    "strength": "strenght", "support": "suport", "team": "teem", "through": "throught",
    "together": "togather", "tried": "tryed", "unfortunately": "unfortunatly", "weekend": "weekand",
    "would": "woudl", "where": "wehre", "with": "whith", "about": "abuot", "there": "tehre",
}
MISSPELL.pop("against.", None)

STARTERS = {"The", "It", "He", "She", "But", "However", "In", "This", "They", "A", "And", "Many",
            "Last", "Its", "There", "Some", "That", "As", "On", "If", "We", "His", "Her", "Despite",
            "Analysts", "Also", "Under", "Now", "After", "Other", "Since", "When", "While", "Earlier",
            "Until", "For", "Overall", "Elsewhere", "Meanwhile", "Those", "Sales", "Games", "Critics",
            "Ministers", "Fans", "Production", "Efforts", "Domestic", "Looking", "Reports", "Six",
            "Five", "Two", "Three", "Such", "By", "With", "Both", "Few", "Much", "Old", "Another",
            "Among", "Online", "Broadband", "Film", "Casual", "Portal", "Key", "Movie", "Video",
            "Apple", "More", "Special", "Uncertainty", "Revenue", "Forecasts", "According"}
NON_NAMES = {"This", "That", "They", "There", "When", "With", "What", "From", "Their", "These",
             "Those", "Then", "Than", "Some", "Many", "Most", "Much", "Also", "Only", "Even",
             "After", "Before", "Over", "Under", "Into", "Onto", "About", "While", "Where", "Which",
             "Who", "Whose", "Here", "Just", "Very", "Such", "Each", "Every", "Both", "Other",
             "Another", "Still", "Yet", "Will", "Would", "Could", "Should", "Have", "Has", "Had",
             "Year", "Years", "Day", "Days", "Award", "Awards", "Book", "Prize", "Novel", "Show",
             "Football", "Sport", "Cup", "League", "Report", "News", "Minister", "Secretary",
             "Group", "House", "Party", "Office", "Committee", "Association", "Foundation",
             "Institute", "University", "College", "Court", "Bill", "Day", "Eve", "Games",
             "Olympics", "Championship", "Championships", "Entertainment", "Software", "Disc",
             "Studios", "Pictures", "Brothers", "Century", "Theater", "School", "Green", "World",
             "Cards", "Identity", "Island", "Small", "Line", "Beauty", "Little", "Lower",
             "Angels", "Gold", "Dust", "Blue", "Peter", "Life", "Queen", "Scots", "Castle",
             "Moving", "Spirited", "Away", "Tonight", "Great", "Public", "Real", "Star", "Red",
             "Drop", "Auction", "Fund", "Shadow", "Standards", "Privileges", "Questions",
             "Emergency", "Disasters", "Commons", "Lords", "Times", "Independent", "Parents",
             "Events", "Unfortunate", "Series", "Return", "King", "Rings", "Lord", "Aviator"}
MONTHS_DAYS = {"January", "February", "March", "April", "June", "July", "August", "September",
               "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday",
               "Friday", "Saturday", "Sunday"}

SENT_END_WORD = re.compile(r"^[A-Za-z][A-Za-z'’-]*[a-z]\.$")     # "economies."  (not U.S. / 4.5.)
CAP_WORD = re.compile(r"^[A-Z][a-z]+$")


def norm(text):
    lines = [" ".join(l.split()) for l in text.splitlines()]
    return "\n" + "\n".join(l for l in lines if l) + "\n"


class Para:
    """A gold paragraph as tokens, with its garbled tokens and glue flags."""

    def __init__(self, text):
        self.gold = text.split()
        self.garb = list(self.gold)
        self.glue = [False] * len(self.gold)   # glue[i]: no space between token i and i+1 (garbled)
        self.reserved = [False] * len(self.gold)

    def free(self, a, b):
        return 0 <= a and b < len(self.gold) and not any(self.reserved[a:b + 1])

    def reserve(self, a, b):
        for k in range(max(0, a), min(len(self.gold), b + 1)):
            self.reserved[k] = True

    def render_garb(self, a=0, b=None):
        b = len(self.gold) - 1 if b is None else b
        out = ""
        for k in range(a, b + 1):
            out += self.garb[k]
            if k < b and self.garb[k] != "" and not self.glue[k]:
                out += " "
        return " ".join(out.split())

    def render_gold(self, a=0, b=None):
        b = len(self.gold) - 1 if b is None else b
        return " ".join(self.gold[a:b + 1])


class Article:
    def __init__(self, name, text, rng):
        lines = [l.strip() for l in text.splitlines() if l.strip()]
        self.name, self.rng = name, rng
        self.title = lines[0]
        self.paras = [Para(l) for l in lines[1:]]
        self.heading = None           # (para index, fragment) for glued_heading
        self.windows = []             # (category, pi, a, b, absent-fn)
        self.lines = []               # removed-line expectations
        self.dup_title = False
        self.inserts = []             # (position, line): position = index of paragraph before which it goes
        toks = [w.strip(".,;:'\"()?!") for l in lines for w in l.split()]
        self.words_all = set(w.lower() for w in toks)                   # every word, lower-cased
        self.words_lower = set(w for w in toks if w[:1].islower())      # words written in lower case

    # ---- helpers ---------------------------------------------------------------------------------
    def spots(self, pred, width=1):
        """All (pi, i) where pred(para, i) holds and the window [i-1, i+width] is free."""
        out = []
        for pi, p in enumerate(self.paras):
            for i in range(len(p.gold)):
                a, b = max(0, i - 1), min(len(p.gold) - 1, i + width)
                if p.free(a, b) and pred(p, i):
                    out.append((pi, i))
        return out

    def take(self, cands):
        if not cands:
            return None
        return self.rng.choice(cands)

    def add(self, cat, pi, a, b, absent):
        p = self.paras[pi]
        a, b = max(0, a), min(len(p.gold) - 1, b)
        p.reserve(a - 1, b + 1)
        self.windows.append((cat, pi, a, b, absent))

    # ---- damages ---------------------------------------------------------------------------------
    def glued_sentence(self):
        def ok(p, i):
            return (i + 1 < len(p.gold) and SENT_END_WORD.match(p.gold[i])
                    and re.match(r"^[A-Z][a-z]", p.gold[i + 1]))
        s = self.take(self.spots(ok))
        if not s:
            return False
        pi, i = s
        p = self.paras[pi]
        nxt = p.gold[i + 1]
        mode = self.rng.choice(["camel", "period", "period", "lower"])
        if mode == "lower" and nxt not in STARTERS and nxt != "Mr":
            mode = "period"
        if mode == "camel":
            p.garb[i] = p.gold[i][:-1]
        elif mode == "lower":
            p.garb[i + 1] = nxt[0].lower() + nxt[1:]
        p.glue[i] = True
        self.add("glued_sentence", pi, i - 1, i + 2, lambda p=p, i=i: p.garb[i] + p.garb[i + 1])
        return True

    def quote_space(self):
        def ok(p, i):
            return (i + 1 < len(p.gold) and SENT_END_WORD.match(p.gold[i])
                    and re.match(r'^"[A-Z]', p.gold[i + 1]))
        s = self.take(self.spots(ok))
        if not s:
            return False
        pi, i = s
        p = self.paras[pi]
        p.glue[i] = True
        self.add("quote_space", pi, i - 1, i + 2, lambda p=p, i=i: p.garb[i] + p.garb[i + 1])
        return True

    def comma_space(self):
        def ok(p, i):
            return (i + 1 < len(p.gold) and re.match(r"^[A-Za-z][A-Za-z'’-]*[a-z],$", p.gold[i])
                    and re.match(r"^[A-Za-z]", p.gold[i + 1]))
        s = self.take(self.spots(ok))
        if not s:
            return False
        pi, i = s
        p = self.paras[pi]
        p.glue[i] = True
        self.add("comma_space", pi, i - 1, i + 2, lambda p=p, i=i: p.garb[i] + p.garb[i + 1])
        return True

    def missing_final_period(self):
        cands = []
        for pi, p in enumerate(self.paras):
            n = len(p.gold)
            if (n >= 12 and re.match(r"^[A-Za-z0-9%][A-Za-z0-9%'’-]*[A-Za-z0-9%]\.$", p.gold[-1])
                    and p.free(n - 3, n - 1) and (self.heading is None or self.heading[0] != pi)):
                cands.append(pi)
        pi = self.take(cands)
        if pi is None:
            return False
        p = self.paras[pi]
        n = len(p.gold)
        p.garb[n - 1] = p.gold[n - 1][:-1]
        self.add("missing_final_period", pi, n - 2, n - 1,
                 lambda p=p, n=n: p.render_garb(n - 2, n - 1) + "\n")
        return True

    def lowercase_start(self):
        def ok(p, i):
            if p.gold[i] not in STARTERS or p.gold[i] in ("A",):
                return False
            return i > 0 and (SENT_END_WORD.match(p.gold[i - 1]) or p.gold[i - 1].endswith(('."', '?"')))
        cands = self.spots(ok)
        s = self.take(cands)
        if not s:
            return False
        pi, i = s
        p = self.paras[pi]
        p.garb[i] = p.gold[i][0].lower() + p.gold[i][1:]
        self.add("lowercase_start", pi, i - 1, i + 1, lambda p=p, i=i: p.garb[i - 1] + " " + p.garb[i])
        return True

    def name_case(self):
        def core(tok):
            m = re.match(r"^\(?([A-Z][A-Za-z]+)((?:'s|')?[,.;:)]*)$", tok)
            return m
        def ok(p, i):
            if i == 0 or re.search(r"[.!?:\"]$", p.gold[i - 1]):
                return False
            m = core(p.gold[i])
            if not m:
                return False
            w = m.group(1)
            if len(w) < 4 or w in NON_NAMES:
                return False
            if w in MONTHS_DAYS:
                return True
            return w.lower() not in self.words_lower
        cands = self.spots(ok)
        names = [c for c in cands if core(self.paras[c[0]].gold[c[1]]).group(1) not in MONTHS_DAYS]
        s = self.take(names if names and self.rng.random() < 0.75 else cands)
        if not s:
            return False
        pi, i = s
        p = self.paras[pi]
        tok = p.gold[i]
        m = core(tok)
        w = m.group(1)
        if re.match(r"^[A-Z][a-z]+[A-Z]", w) and self.rng.random() < 0.7:   # CamelCase: DiCaprio
            new = w[0] + w[1:].lower()
        elif w.isupper() and len(w) >= 3:                                   # acronym: OECD -> Oecd
            new = w[0] + w[1:].lower()
        else:
            new = w.lower()
        p.garb[i] = tok.replace(w, new, 1)
        self.add("name_case", pi, i - 1, i + 1, lambda p=p, i=i: p.garb[i])
        return True

    def misspelling(self):
        def ok(p, i):
            m = re.match(r"^([A-Za-z]+)([,.;:]?)$", p.gold[i])
            return bool(m) and m.group(1).lower() in MISSPELL
        s = self.take(self.spots(ok))
        if not s:
            return False
        pi, i = s
        p = self.paras[pi]
        m = re.match(r"^([A-Za-z]+)([,.;:]?)$", p.gold[i])
        w = m.group(1)
        bad = MISSPELL[w.lower()]
        if w[0].isupper():
            bad = bad[0].upper() + bad[1:]
        p.garb[i] = bad + m.group(2)
        self.add("misspelling", pi, i - 1, i + 1, lambda p=p, i=i: p.garb[i])
        return True

    def garble_noise(self):
        def ok(p, i):
            m = re.match(r"^([a-z]{8,})([,.;:]?)$", p.gold[i])
            return bool(m) and m.group(1) not in MISSPELL
        s = self.take(self.spots(ok))
        if not s:
            return False
        pi, i = s
        p = self.paras[pi]
        m = re.match(r"^([a-z]{8,})([,.;:]?)$", p.gold[i])
        w = m.group(1)
        for _ in range(20):
            op = self.rng.choice(["repeat", "repeat", "double", "drop", "swap"])
            if op == "repeat":
                k = self.rng.randint(4, len(w) - 2)
                L = self.rng.choice([2, 3])
                g = w[:k] + w[k - L:k] + w[k:]
            elif op == "double":
                k = self.rng.randint(3, len(w) - 3)
                g = w[:k] + w[k] + w[k:]
            elif op == "drop":
                k = self.rng.randint(2, len(w) - 3)
                g = w[:k] + w[k + 1:]
            else:
                k = self.rng.randint(2, len(w) - 3)
                g = w[:k] + w[k + 1] + w[k] + w[k + 2:]
            if g != w and g not in self.words_all:
                break
        else:
            return False
        p.garb[i] = g + m.group(2)
        self.add("garble_noise", pi, i - 1, i + 1, lambda p=p, i=i, g=g: g)
        return True

    def spacing(self):
        kinds = ["comma", "hyphen", "currency"]
        self.rng.shuffle(kinds)
        if any(re.match(r"^\(?[$£]\d", t) for p in self.paras for t in p.gold) and self.rng.random() < 0.5:
            kinds.remove("currency")
            kinds.insert(0, "currency")
        for kind in kinds:
            if kind == "comma":
                pat = re.compile(r"^[A-Za-z][A-Za-z'’-]*[a-z],$")
                fix = lambda t: t[:-1] + " ,"
                absent = lambda t: t[:-1] + " ,"
            elif kind == "hyphen":
                pat = re.compile(r"^\(?[A-Za-z]+-[A-Za-z]+[A-Za-z-]*[,.;:)]*$")
                fix = lambda t: t.replace("-", " -", 1)
                absent = lambda t: re.sub(r"[,.;:)]+$", "", t.replace("-", " -", 1)).lstrip("(")
            else:
                pat = re.compile(r"^\(?[$£]\d[\d.,]*(?:m|bn|p)?[,.;:)]*$")
                fix = lambda t: re.sub(r"([$£])", r"\1 ", t, count=1)
                absent = lambda t: re.sub(r"([$£])", r"\1 ", re.sub(r"[,.;:)]+$", "", t), count=1).lstrip("(")
            s = self.take(self.spots(lambda p, i: bool(pat.match(p.gold[i])) and 0 < i < len(p.gold) - 1))
            if not s:
                continue
            pi, i = s
            p = self.paras[pi]
            p.garb[i] = fix(p.gold[i])
            self.add("spacing", pi, i - 1, i + 1, lambda p=p, i=i, t=p.gold[i], f=absent: f(t))
            return True
        return False

    def glued_heading(self):
        if len(self.paras) < 3:
            return False
        lead = self.paras[0].gold
        n = self.rng.randint(4, 7)
        if len(lead) < n + 3:
            return False
        frag = " ".join(lead[:n]).rstrip(",;:")
        cands = [pi for pi in range(1, len(self.paras) - 1)
                 if len(self.paras[pi].gold) >= 8 and re.search(r"[.!?]\"?$", self.paras[pi].gold[-1])
                 and self.paras[pi].free(len(self.paras[pi].gold) - 2, len(self.paras[pi].gold) - 1)]
        pi = self.take(cands)
        if pi is None:
            return False
        p = self.paras[pi]
        p.reserve(len(p.gold) - 3, len(p.gold) - 1)
        self.heading = (pi, frag)
        return True

    def plan(self, topic):
        r = self.rng
        two = lambda: 1 + (r.random() < 0.35)
        want = [("glued_sentence", two()), ("comma_space", two()),
                ("lowercase_start", two()), ("name_case", two()),
                ("misspelling", 1), ("garble_noise", two()), ("spacing", two()),
                ("missing_final_period", 1 if r.random() < 0.6 else 0)]
        if r.random() < 0.3:
            self.glued_heading()
        if r.random() < 0.3:      # rare, and its spots (word. "Quote) are few: placed first
            self.quote_space()
        r.shuffle(want)
        for cat, k in want:
            for _ in range(k):
                getattr(self, cat)()
        # line-level damages
        self.dup_title = r.random() < 0.6
        nb = r.randint(2, 3)
        pool = list(BOILERPLATE)
        if topic in BREADCRUMBS:
            pool += [BREADCRUMBS[topic]] * 3
        chosen = []
        while len(chosen) < nb:
            c = r.choice(pool)
            if c not in chosen:
                chosen.append(c)
        npara = len(self.paras)
        for j, line in enumerate(chosen):
            where = r.choice(["top", "middle", "end", "end"]) if j else "top"
            pos = {"top": 0, "end": npara, "middle": r.randint(1, max(1, npara - 1))}[where]
            self.inserts.append((pos, line))
            self.lines.append(line)

    # ---- output ----------------------------------------------------------------------------------
    def render(self):
        gold = [self.title]
        garb = [self.title] + ([self.title] if self.dup_title else [])
        for pi, p in enumerate(self.paras):
            garb += [l for pos, l in self.inserts if pos == pi]
            gold.append(p.render_gold())
            g = p.render_garb()
            if self.heading and self.heading[0] == pi:
                gold.append(self.heading[1])
                g += self.heading[1]
            garb.append(g)
        garb += [l for pos, l in self.inserts if pos == len(self.paras)]
        return "\n".join(garb) + "\n", "\n".join(gold) + "\n"

    def expectations(self):
        exps = []
        for cat, pi, a, b, absent in self.windows:
            p = self.paras[pi]
            pre = "\n" if a == 0 else ""
            post = "\n" if b == len(p.gold) - 1 and not (self.heading and self.heading[0] == pi) else ""
            exps.append({"category": cat, "garbled": pre + p.render_garb(a, b) + post,
                         "gold": [pre + p.render_gold(a, b) + post], "absent": absent()})
        if self.heading:
            pi, frag = self.heading
            p = self.paras[pi]
            n = len(p.gold)
            fw = frag.split()
            last = p.gold[-1]
            exps.append({"category": "glued_heading",
                         "garbled": p.render_gold(n - 2, n - 1) + " ".join(fw[:2]),
                         "gold": [p.render_gold(n - 2, n - 1) + "\n" + " ".join(fw[:2])],
                         "absent": last.split()[-1][-12:] + fw[0]})
        if self.dup_title:
            exps.append({"category": "duplicate_line", "line": self.title, "max_count": 1})
        for line in self.lines:
            exps.append({"category": "boilerplate", "line": line, "max_count": 0})
        return exps


def met(e, text):
    if "line" in e:
        return sum(l == e["line"] for l in text.split("\n")) <= e["max_count"]
    return any(g in text for g in e["gold"]) and e["absent"] not in text


def check(exps, garbled, gold):
    G, X = norm(gold), norm(garbled)
    for e in exps:
        if "line" in e:
            if met(e, X) or not met(e, G):
                return f"line expectation not checkable: {e}"
            continue
        if e["garbled"] not in X or e["absent"] not in X:
            return f"garbled window/absent not in garbled text: {e}"
        if met(e, X):
            return f"already met by garbled text: {e}"
        if not met(e, G):
            return f"not met by gold text: {e}"
    return None


def main():
    ap = argparse.ArgumentParser(description="Write a garbled evaluation set from clean articles.")
    ap.add_argument("inputs", nargs="+", help="gold files (title line + one paragraph a line) or folders of them")
    ap.add_argument("--out", required=True, help="output folder")
    ap.add_argument("--seed", type=int, default=7051, help="random seed (default 7051)")
    a = ap.parse_args()
    files = []
    for x in a.inputs:
        if os.path.isdir(x):
            files += sorted(os.path.join(x, f) for f in os.listdir(x) if f.endswith(".txt"))
        else:
            files.append(x)
    os.makedirs(a.out, exist_ok=True)
    total = {}
    for path in files:
        name = os.path.basename(path)
        for suf in (".gold.txt", ".txt"):
            if name.endswith(suf):
                name = name[:-len(suf)]
                break
        text = open(path, encoding="utf-8").read()
        m = re.match(r"^bbc-([a-z]+)-", name)
        topic = m.group(1) if m else ""
        for attempt in range(50):
            rng = random.Random(a.seed * 1000003 + zlib.crc32(name.encode()) + attempt)
            art = Article(name, text, rng)
            art.plan(topic)
            garbled, gold = art.render()
            exps = art.expectations()
            problem = check(exps, garbled, gold)
            if problem is None:
                break
        else:
            sys.exit(f"{name}: could not build checkable damages: {problem}")
        with open(os.path.join(a.out, name + ".garbled.txt"), "w", encoding="utf-8") as f:
            f.write(garbled)
        with open(os.path.join(a.out, name + ".gold.txt"), "w", encoding="utf-8") as f:
            f.write(gold)
        with open(os.path.join(a.out, name + ".expect.jsonl"), "w", encoding="utf-8") as f:
            for e in exps:
                f.write(json.dumps(e, ensure_ascii=False) + "\n")
        for e in exps:
            total[e["category"]] = total.get(e["category"], 0) + 1
        print(f"{name}: {len(exps)} damages", file=sys.stderr)
    print(" ".join(f"{k}={v}" for k, v in sorted(total.items())), f"all={sum(total.values())}", file=sys.stderr)


if __name__ == "__main__":
    main()
