#!/usr/bin/env python3
"""Writes a deterministic synthetic briefing for measurements: gen-corpus.py N DIR.

N sources of about 750 words (content/sources/src-NNNN.md, with front matter), N/5 items in
three collections (people: person, places: venue, events: event) whose names recur in the
texts, and about five verified quotes per source as claims on those items. The same N gives
the same bytes. DIR gets site.toml and content/; build it with `brief -C DIR build`.
"""

import os
import random
import sys

WORDS = """
agreement army border ceasefire city commander council court delegation drone envoy
exchange front government harbour inquiry leader ministry mission negotiation office
parliament partner peace plan port prisoner proposal province region report round
sanction security spokesman statement strike summit talks territory treaty troops truce
union village vote war water winter yesterday morning evening week month officials
analysts observers reporters diplomats farmers workers engineers medics volunteers
said warned argued claimed denied confirmed announced suggested insisted noted added
expected rejected welcomed accepted demanded promised signed delayed resumed ended
new old long short major minor early late quiet tense open closed formal direct
northern southern eastern western central coastal rural urban local regional
slowly quickly again later today soon still already often rarely publicly privately
""".split()

FIRST = "Anna Boris Chen Dmitri Elena Farid Greta Hakan Irina Jonas Kira Leon Maya Nikolai Olga Pavel Rosa Sergei Tamar Viktor Yusuf Zofia".split()
LAST = "Arslan Bondar Costa Demir Ekholm Frolov Gallo Hadzic Ivanova Jensen Kovac Lind Moroz Novak Orlov Petrov Quinn Rossi Sokol Tkach Ulman Vidal Weiss Yilmaz Zelenko".split()
PLACE_A = "North South East West Old New Upper Lower Great Little".split()
PLACE_B = "Harbour Ridge Ford Valley Bridge Field Gate Hill Lake Marsh Mill Port Stone Wood".split()
EVENT_A = "Ceasefire Prisoner Grain Energy Border Water Rail Harbour Drone Winter".split()
EVENT_B = "Accord Exchange Talks Summit Deal Meeting Round Conference Truce Protocol".split()


def sentence(rng, names, fresh):
    """A sentence of 12–20 words, sometimes naming an item; `fresh` makes it unique."""
    n = rng.randint(12, 20)
    words = [rng.choice(WORDS) for _ in range(n)]
    if names and rng.random() < 0.5:
        words.insert(rng.randint(0, len(words)), rng.choice(names))
    words.insert(rng.randint(1, len(words)), fresh)
    s = " ".join(words)
    return s[0].upper() + s[1:] + "."


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gen-corpus.py N DIR")
    n = int(sys.argv[1])
    out = sys.argv[2]
    rng = random.Random(20251121 + n)
    os.makedirs(f"{out}/content/sources", exist_ok=True)
    os.makedirs(f"{out}/content/annotations", exist_ok=True)

    # Items: unique names, split into three collections.
    count = max(3, n // 5)
    items = []  # (collection, id, name)
    used = set()
    for i in range(count):
        kind = ("people", "places", "events")[i % 3]
        while True:
            if kind == "people":
                name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            elif kind == "places":
                name = f"{rng.choice(PLACE_A)} {rng.choice(PLACE_B)}"
            else:
                name = f"{rng.choice(EVENT_A)} {rng.choice(EVENT_B)} {1990 + i % 35}"
            if name not in used:
                used.add(name)
                break
        prefix = {"people": "person", "places": "place", "events": "event"}[kind]
        items.append((kind, f"{prefix}-{i + 1:04d}", name))
    names = [name for _, _, name in items]

    # Sources: ~750 words each; remember some sentences to quote.
    claims = {item_id: [] for _, item_id, _ in items}
    serial = 0
    for s in range(1, n + 1):
        sid = f"src-{s:04d}"
        paras = []
        words = 0
        quotable = []
        while words < 750:
            para = []
            for _ in range(rng.randint(3, 6)):
                serial += 1
                text = sentence(rng, names, f"item{serial}")
                para.append(text)
                quotable.append(text)
                words += len(text.split())
            paras.append(" ".join(para))
        month = 1 + s % 12
        day = 1 + s % 28
        with open(f"{out}/content/sources/{sid}.md", "w") as f:
            f.write("---\n")
            f.write(f'title: "Report {s}: {rng.choice(names)} and the {rng.choice(WORDS)}"\n')
            f.write(f"outlet: Outlet {1 + s % 17}\n")
            f.write(f"author: {rng.choice(FIRST)} {rng.choice(LAST)}\n")
            f.write(f"published: 2025-{month:02d}-{day:02d}\n")
            f.write("language: en\n")
            f.write("---\n")
            f.write("\n\n".join(paras) + "\n")
        for text in rng.sample(quotable, 5):
            words_ = text.rstrip(".").split()
            # A quote of 6–9 words that holds the sentence's unique token.
            token = next(i for i, w in enumerate(words_) if w.startswith("item"))
            length = rng.randint(6, 9)
            start = max(0, min(token - rng.randint(0, length - 1), len(words_) - length))
            quote = " ".join(words_[start:start + length])
            _, item_id, _ = items[rng.randrange(len(items))]
            claims[item_id].append((sid, quote, f"2025-{month:02d}-{day:02d}"))

    titles = {"people": ("Persons", "person"), "places": ("Places", "venue"), "events": ("Events", "event")}
    for kind, (title, k) in titles.items():
        with open(f"{out}/content/annotations/{kind}.yaml", "w") as f:
            f.write(f"title: {title}\nkind: {k}\nitems:\n")
            for i, (c, item_id, name) in enumerate(items):
                if c != kind:
                    continue
                f.write(f"  - id: {item_id}\n    name: {name}\n")
                if k == "event":
                    f.write(f"    date: 2025-{1 + i % 12:02d}\n")
                f.write(f"    summary: A synthetic {k} named {name}.\n")
                if claims[item_id]:
                    f.write("    claims:\n")
                    for sid, quote, date in claims[item_id]:
                        f.write(f"      - text: Said in {sid}.\n        date: {date}\n")
                        f.write(f'        cite:\n          - source: {sid}\n            quote: "{quote}"\n')

    with open(f"{out}/site.toml", "w") as f:
        f.write(f'title = "Synthetic briefing ({n} sources)"\n')
        f.write('description = "Generated by scripts/gen-corpus.py for measurements."\n')
        f.write('base_url = "https://example.org/corpus/"\nlanguage = "en"\nauthor = "gen-corpus"\n')
    with open(f"{out}/content/index.md", "w") as f:
        f.write("---\ntitle: Synthetic briefing\n---\n")
        f.write(f"A generated briefing of {n} sources [@src-0001].\n")


if __name__ == "__main__":
    main()
