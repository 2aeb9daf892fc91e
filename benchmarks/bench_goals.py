"""How well goals in the person's own words are read: top-1 and top-3 on labelled phrases.

    python benchmarks/bench_goals.py [--show-misses]

The phrases (benchmarks/data/goal_phrases.csv, British English, with misspellings and long
sentences) are searched with `near` in a partnership manager's catalogue that uses its own
extra categories (angling, music, swimming, cycling, conservation, community cafe, men's group,
women's group, mental health support) beside the default ones, with the tags such a manager
would give (benchmarks/data/partner_catalogue.csv). A phrase scores top-1 when the first result
is a kind of place its label accepts, top-3 when one of the first three is. The `held_out`
third was written apart from the lexicon and never used to change it.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import tempfile
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
CENTRE = (53.0, -2.2)


def build_catalogue(path: Path):
    from assetmap.catalogue.models import Asset
    from assetmap.catalogue.opening import open_catalogue

    cat = open_catalogue(path, seed=False)
    rows = list(csv.DictReader((DATA / "partner_catalogue.csv").open(encoding="utf-8")))
    for name in sorted({r["category"] for r in rows} - set(cat.categories())):
        cat.add_category(name)
    rnd = random.Random(13)  # places spread over 3 km, so nearness breaks ties as in life
    assets = []
    for r in rows:
        km, bearing = rnd.uniform(0.2, 3.0), rnd.uniform(0, 2 * math.pi)
        lat = CENTRE[0] + km / 111.2 * math.cos(bearing)
        lon = CENTRE[1] + km / (111.2 * math.cos(math.radians(CENTRE[0]))) * math.sin(bearing)
        assets.append(Asset.from_row({**r, "lat": f"{lat:.6f}", "lon": f"{lon:.6f}",
                                      "verified_on": "2026-10-01"}, categories=cat.categories()))  # fmt: skip
    cat.write(assets)
    return cat


def phrases() -> list[dict]:
    return list(csv.DictReader((DATA / "goal_phrases.csv").open(encoding="utf-8")))


def evaluate(conn) -> list[dict]:
    """One row per phrase: the categories of its first three results and whether they fit."""
    from assetmap.places.resolve import Place
    from assetmap.search import engine
    from assetmap.search.query import Query

    place = Place("x", *CENTRE, "coordinates", 0.0, "", "coordinates", "x")
    out = []
    for p in phrases():
        accept = set(p["acceptable"].split(";"))
        start = time.perf_counter()
        outcome = engine.near(conn, Query(place, goals=[p["phrase"]], limit=3))
        ms = (time.perf_counter() - start) * 1000
        got = [r.row["category"] for r in outcome.results]
        out.append({**p, "got": got, "top1": bool(got) and got[0] in accept,
                    "top3": any(c in accept for c in got[:3]), "ms": ms,
                    "note": "; ".join(outcome.notes)})  # fmt: skip
    return out


def figures(rows: list[dict]) -> dict[str, tuple[int, float, float]]:
    out = {}
    for split in ("dev", "held_out", "all"):
        part = [r for r in rows if split == "all" or r["split"] == split]
        out[split] = (len(part), sum(r["top1"] for r in part) / len(part),
                      sum(r["top3"] for r in part) / len(part))  # fmt: skip
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cat = build_catalogue(Path(tmp) / "partner.db")
        rows = evaluate(cat.conn)
        cat.close()
    print("goals in the person's own words, searched in a partner's catalogue:")
    for split, (n, top1, top3) in figures(rows).items():
        print(f"  {split:<9} {n:4d} phrases   top-1 {top1:6.1%}   top-3 {top3:6.1%}")
    times = sorted(r["ms"] for r in rows)
    print(f"  in-process near per phrase: median {times[len(times) // 2]:.2f} ms, "
          f"max {times[-1]:.2f} ms")  # fmt: skip
    if args.show_misses:
        for r in rows:
            if not r["top1"]:
                mark = "top-3" if r["top3"] else "MISS "
                print(f"  {mark} [{r['split']}] {r['phrase']!r}: got {r['got']}, want {r['acceptable']} ({r['note']})")  # fmt: skip


if __name__ == "__main__":
    main()
