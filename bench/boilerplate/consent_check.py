#!/usr/bin/env python3
"""Check of the boilerplate stage's cookie and consent notices (the `consent:`
and `consent-with:` word sets of dictionaries/boilerplate.txt): notices in
wordings written for this check (in no rule, test or training file) placed
between two article paragraphs must go; article sentences about cookies, to eat
or on the web, must stay.

  python3 bench/boilerplate/consent_check.py --cmd 'build/copydesk clean -q --only boilerplate -'

Prints, for each group, how many lines came out removed, and lists the misses.
"""
import argparse
import shlex
import subprocess

NOTICES = [
    "We use small text files called cookies to make our website work.",
    "Our site stores cookies on your device; see our privacy notice for details.",
    "Cookies are set by us and our advertising partners to show relevant ads.",
    "We would like to set optional analytics cookies to help us improve this website.",
    "This site keeps cookies in your browser for login and analytics.",
    "You can block cookies in your browser settings, but parts of our site may not work.",
    "Some of our pages carry cookies from online video services.",
    "Strictly necessary cookies keep our website secure and cannot be turned off.",
    "We and selected partners read and store cookies on your device for personalised advertising.",
    "Change which cookies we use at any time in your privacy settings.",
    "Our cookies remember your preferences, such as language and region.",
    "Declining cookies will not stop us showing ads, but they will be less relevant.",
]

ARTICLE = [
    "The bakery sold more than 4,000 cookies on the first day of the festival.",
    "We left the cookies to cool on a wire rack before icing them.",
    "Our grandmother's cookies were the pride of the parish bake sale.",
    "Regulators fined the retailer for placing tracking cookies without asking visitors first.",
    "Advertisers have long relied on third-party cookies to follow shoppers from site to site.",
    "Browser makers plan to phase out cookies that track people across websites.",
    "The court ruled that pre-ticked boxes do not amount to valid consent for cookies.",
    "Cookies and crisps made up a third of the children's daily calories, the study found.",
    "Critics say the consent banners about cookies have become a ritual that nobody reads.",
    "A cookie is a small file a website saves on a visitor's computer.",
    "We tasted twelve brands of chocolate chip cookies for this week's column.",
    "Our reporter spent a morning in the factory where the cookies are packed.",
    "We asked 2,000 readers whether they accept cookies on websites they trust.",
    "Our analysis of 500 news websites found trackers and cookies on nine in ten.",
]

BEFORE = ("The council met on Tuesday evening to discuss the new budget for the coming year, "
          "which includes money for roads and schools.")
AFTER = ("Members are expected to vote on the final plan next month after a public consultation "
         "closes at the end of the summer.")


def run(cmd, line):
    text = f"{BEFORE}\n\n{line}\n\n{AFTER}\n"
    out = subprocess.run(shlex.split(cmd), input=text, capture_output=True, text=True, check=True).stdout
    return line not in out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cmd", required=True)
    args = ap.parse_args()
    for name, lines, want in (("notices", NOTICES, True), ("article", ARTICLE, False)):
        removed = [l for l in lines if run(args.cmd, l)]
        print(f"{name}: {len(removed)}/{len(lines)} removed")
        for l in lines:
            if (l in removed) != want:
                print(f"  {'kept' if want else 'REMOVED'}: {l}")


if __name__ == "__main__":
    main()
