#!/usr/bin/env python3
"""Generate a large synthetic briefing for measuring brief (build and serve times).

    scripts/gen-corpus.py OUT_DIR [--sources N] [--seed S]

Writes OUT_DIR/site.toml and OUT_DIR/content/ with:
  - N sources (content/sources/src-NNNN.md) of about 750 words each, with front matter;
  - N/5 items in each of three collections (people: person, venues: venue, events: event)
    whose names recur in the source texts (so mention linking has work to do);
  - about 5 claims per source, each citing a verbatim quote of that source (all verified);
  - an index.md that cites a few sources.
The text is nonsense built from a fixed word list; the same seed gives the same corpus.
"""

import argparse
import os
import random

WORDS = """
the a of to and in on for with at by from about after before during against between
across under over into through without within along around among talks delegation
minister council harbour port border ceasefire draft memorandum exchange prisoners
treaty envoy summit round statement report agency official spokesman analyst meeting
agreement proposal demand offer warning deadline sanctions pressure region city coast
river bridge road convoy supply route village district province capital parliament
government committee working group negotiator mediator observer mission agenda issue
question answer position reply signal step progress delay setback breakthrough plan
schedule week month morning evening night early late new old long short broad narrow
firm cautious public private formal informal joint separate direct indirect second
third final first next last open closed quiet busy difficult hopeful tense calm
""".split()

FIRST = """Anna Boris Clara Dmitri Elena Farid Galina Hakan Irina Jonas Katya Leon Mira
Nikolai Olga Pavel Rana Sergei Tamar Umar Vera Yusuf Zoya Arman Bela Cem Daria Emil
Fatma Gleb Hana Ilya Jana Kerem Lina Marek Nadia Oskar Petra""".split()

SYLL = """kor vel tan mir dal sor ven lok bra tiv gan rus pel zan hol mek dor vin sal tek
nor bel kas lev mon rad sim tul var zel""".split()


def name_part(rng, n=2):
    return "".join(rng.choice(SYLL) for _ in range(n)).capitalize()


def unique_names(rng, count, make):
    seen = set()
    out = []
    while len(out) < count:
        n = make()
        if n not in seen:
            seen.add(n)
            out.append(n)
    return out


def sentence(rng, words=14):
    ws = [rng.choice(WORDS) for _ in range(words)]
    return " ".join(ws).capitalize() + "."


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--sources", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    n = args.sources
    per = max(1, n // 5)

    people = unique_names(
        rng, per, lambda: f"{rng.choice(FIRST)} {name_part(rng, 3)}"
    )
    venues = unique_names(rng, per, lambda: f"{name_part(rng, 2)} {rng.choice(['Palace', 'Hall', 'Harbour', 'Fortress', 'Hotel'])}")
    events = unique_names(rng, per, lambda: f"{name_part(rng, 2)} {rng.choice(['Summit', 'Accord', 'Round', 'Conference', 'Ceasefire'])}")

    out = args.out
    os.makedirs(os.path.join(out, "content", "sources"), exist_ok=True)
    os.makedirs(os.path.join(out, "content", "annotations"), exist_ok=True)
    with open(os.path.join(out, "site.toml"), "w") as f:
        f.write(
            'title = "Synthetic Briefing"\n'
            f'description = "{n} generated sources for measuring brief."\n'
            'base_url = "https://example.github.io/synthetic/"\n'
            'language = "en"\nauthor = "Corpus Generator"\n'
        )

    # claims[(collection, index)] -> list of (claim text, source id, quote)
    claims = {}
    index_cites = []
    for s in range(1, n + 1):
        sid = f"src-{s:04d}"
        mentioned_p = rng.sample(range(per), min(5, per))
        mentioned_v = rng.sample(range(per), min(2, per))
        mentioned_e = rng.sample(range(per), min(2, per))
        quotes = []
        paragraphs = []
        for p in range(6):
            sents = [sentence(rng, rng.randint(10, 18)) for _ in range(9)]
            # Names recur in the text, for mention linking.
            who = people[mentioned_p[p % len(mentioned_p)]]
            where = venues[mentioned_v[p % len(mentioned_v)]]
            what = events[mentioned_e[p % len(mentioned_e)]]
            sents[1] = f"{who} arrived at {where} before the {what} and spoke to reporters."
            if p < 5:
                # A quotable sentence, unique to this source and paragraph.
                q = f"{who} said the {rng.choice(WORDS)} {rng.choice(WORDS)} of item {s}-{p} would {rng.choice(WORDS)} the {rng.choice(WORDS)}"
                sents[3] = q + "."
                quotes.append((q, p))
            paragraphs.append(" ".join(sents))
        with open(os.path.join(out, "content", "sources", f"{sid}.md"), "w") as f:
            month = 1 + (s % 12)
            day = 1 + (s % 28)
            f.write(
                "---\n"
                f"title: Generated report number {s}\n"
                f"outlet: Outlet {1 + s % 17}\n"
                f"author: Writer {1 + s % 31}\n"
                f"published: 2025-{month:02d}-{day:02d}\n"
                "language: en\n"
                "---\n"
            )
            f.write("\n\n".join(paragraphs) + "\n")
        for q, p in quotes:
            # Each claim goes to an item the source mentions, in turn people, venues, events.
            kind = p % 3
            if kind == 0:
                key = ("people", mentioned_p[p % len(mentioned_p)])
            elif kind == 1:
                key = ("venues", mentioned_v[p % len(mentioned_v)])
            else:
                key = ("events", mentioned_e[p % len(mentioned_e)])
            claims.setdefault(key, []).append(
                (f"Reported in source {s}, paragraph {p + 1}.", sid, q, f"2025-{1 + s % 12:02d}")
            )
        if s <= 3:
            index_cites.append((sid, quotes[0][0]))

    def slug(name):
        return "".join(c.lower() if c.isalnum() else "-" for c in name).strip("-")

    def yaml_str(s):
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    def write_collection(cid, title, kind, names, extra):
        with open(os.path.join(out, "content", "annotations", f"{cid}.yaml"), "w") as f:
            f.write(f"title: {title}\nkind: {kind}\nitems:\n")
            for i, name in enumerate(names):
                f.write(f"  - id: {cid[:-1]}-{slug(name)}\n    name: {yaml_str(name)}\n")
                f.write(extra(i))
                cl = claims.get((cid, i), [])
                if cl:
                    f.write("    claims:\n")
                    for text, sid, q, date in cl:
                        f.write(
                            f"      - text: {yaml_str(text)}\n        date: {date}\n"
                            f"        cite:\n          - source: {sid}\n"
                            f"            quote: {yaml_str(q)}\n"
                        )

    write_collection("people", "People", "person", people,
                     lambda i: f"    role: Negotiator\n    side: {'North' if i % 2 else 'South'}\n")
    write_collection("venues", "Venues", "venue", venues,
                     lambda i: f"    city: City {i % 40}\n    country: Country {i % 7}\n")
    write_collection("events", "Events", "event", events,
                     lambda i: f"    date: 2025-{1 + i % 12:02d}-{1 + i % 28:02d}\n")

    with open(os.path.join(out, "content", "index.md"), "w") as f:
        f.write("---\ntitle: Synthetic Briefing\n---\n")
        f.write(f"A generated briefing of {n} sources.\n\n")
        for sid, q in index_cites:
            f.write(f'One report says so [@{sid} "{q}"].\n\n')
    print(f"wrote {n} sources, {3 * per} items and {5 * n} claims into {out}")


if __name__ == "__main__":
    main()
