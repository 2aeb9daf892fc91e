"""The value classes of a search: the Query asked of search.engine.near, each Result found and
the Outcome. Plain __slots__ classes, not dataclasses: creating a dataclass costs about 1 ms,
paid at every start-up of every search."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence

from assetmap.places.resolve import Place
from assetmap.search.filters import Filters


class Query:
    """`complete` reads the whole circle even when the best are known sooner, for an exact
    total and every exclusion (--show-excluded)."""

    __slots__ = ("place", "goals", "filters", "sort", "limit", "today", "complete", "plan")

    def __init__(
        self, place: Place, *, goals: Sequence[str] = (), filters: Filters | None = None,
        sort: str = "score", limit: int = 10, today: dt.date | None = None,
        complete: bool = False, plan=None,
    ) -> None:  # fmt: skip
        self.place = place
        self.goals = list(goals)
        self.filters = filters if filters is not None else Filters()
        self.sort = sort
        self.limit = limit
        self.today = today if today is not None else dt.date.today()
        self.complete = complete
        # How the goals were read (engine.read_goals), when the caller read them already.
        self.plan = plan


class Result:
    """One asset found, with its distance, the goals it meets (as (goal, strength, read as)),
    its score, and what its `why` is worded from: the cautions and whether it is fresh."""

    __slots__ = ("row", "distance_km", "met", "score", "cautions", "fresh")

    def __init__(
        self, row: sqlite3.Row, distance_km: float | None, met: list[tuple[str, float, str]],
        score: float, cautions: list[str], fresh: bool,
    ) -> None:  # fmt: skip
        self.row = row
        self.distance_km = distance_km
        self.met = met
        self.score = score
        self.cautions = cautions
        self.fresh = fresh

    @property
    def goals_met(self) -> list[str]:
        return [m[0] for m in self.met]

    def why(self, staff: bool = True) -> str:
        """The `why` column; without `staff`, worded from the public facts only."""
        from assetmap.search.why import why

        return why(self.row, self.met, self.distance_km, self.cautions, self.fresh, staff=staff)

    def to_json(self, include_staff: bool = True) -> dict:
        """The result's fields; without `include_staff`, only the public ones (no partnership
        status or work contact, in the fields or in `why`)."""
        r = self.row
        if not include_staff:
            from assetmap.catalogue.vocab import STAFF_ONLY

            d = self.to_json()
            d["why"] = self.why(staff=False)
            return {k: v for k, v in d.items() if k not in STAFF_ONLY}
        return {
            "id": r["id"], "name": r["name"], "category": r["category"],
            "tags": [t for t in r["tags"].split(";") if t],
            "distance_km": None if self.distance_km is None else round(self.distance_km, 3),
            "score": round(self.score, 4), "goals_met": self.goals_met, "why": self.why(),
            "postcode": r["postcode"], "area": r["area"], "address": r["address"],
            "lat": r["lat"], "lon": r["lon"], "geo_precision": r["geo_precision"],
            "schedule": r["schedule"], "cost": r["cost"], "referral": r["referral"],
            "gender": r["gender"], "min_age": r["min_age"], "max_age": r["max_age"],
            "welcomes_convictions": r["welcomes_convictions"], "dbs_required": r["dbs_required"],
            "involves_children": r["involves_children"], "phone": r["phone"],
            "email": r["email"], "website": r["website"], "status": r["status"],
            "verified_on": r["verified_on"], "partnership_status": r["partnership_status"],
            "referral_route": r["referral_route"], "referral_details": r["referral_details"],
            "welcomes_mentor": r["welcomes_mentor"], "contact_name": r["contact_name"],
            "contact_phone": r["contact_phone"],
        }  # fmt: skip


class Outcome:
    __slots__ = ("results", "excluded", "notes", "total", "complete", "all_excluded")

    def __init__(
        self, results: list[Result], excluded: list[tuple[str, str, str]], notes: list[str],
        total: int, complete: bool = True, all_excluded: bool = True,
    ) -> None:  # fmt: skip
        self.results = results
        self.excluded = excluded  # (id, name, reason)
        self.notes = notes  # how goals were understood, uncertainty, etc.
        self.total = total  # matches before --limit (at least this many when not complete)
        # False when the search stopped before the radius (the best were certain): `total`
        # then counts only the part read.
        self.complete = complete
        # False when `excluded` lists only some of what was left out: the search stopped
        # early, or tested filters in SQL (Query.complete does neither).
        self.all_excluded = all_excluded
