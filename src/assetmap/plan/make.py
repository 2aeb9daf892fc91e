"""What the `plan` command calls: the chosen assets and the place they are measured from in,
a rendered page out, written whole or not at all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from assetmap.errors import InvalidValue
from assetmap.plan import model
from assetmap.plan.area import from_words, person_area

FORMATS = ("html", "md")
MAX_PLACES = 9  # numbers on the map stay one digit
ONE_PAGE = 4


class PlanRequest:
    """Everything `plan` was asked, as typed: built once from the command's options and handed
    down. A plain __slots__ class, not a dataclass (a dataclass costs about 1 ms to create)."""

    __slots__ = ("refs", "start", "made_on", "by", "show_from", "went_with", "avoid",
                 "avoid_zones")  # fmt: skip

    def __init__(
        self, refs: list[str], start: str, *, made_on: dt.date, by: str = "",
        show_from: bool = False, went_with: dict | None = None, avoid: Sequence[str] = (),
        avoid_zones: Sequence[str] = (),
    ) -> None:  # fmt: skip
        self.refs = list(refs)
        self.start = start  # --from: where the person starts
        self.made_on = made_on
        self.by = by
        self.show_from = show_from
        self.went_with = went_with  # asset id -> who went along (--case), or None
        self.avoid = list(avoid)
        self.avoid_zones = list(avoid_zones)


def avoided_zones(request: PlanRequest, find_place, report=None) -> list:
    """The zones of the request's --avoid and --avoid-zone; `report` is told where each one
    landed."""
    if not (request.avoid or request.avoid_zones):
        return []
    from assetmap.search.avoid import build_zones

    return build_zones(request.avoid, request.avoid_zones, find_place, report=report)


def make_plan(catalogue, gazetteer, find_place, request: PlanRequest, *,
              zones: Sequence = (), warn=lambda text: None) -> model.Plan:  # fmt: skip
    """The plan for `request`. A place inside one of `zones` (avoided_zones) is refused, as
    near would leave it out."""
    refs = list(dict.fromkeys(r.strip() for r in request.refs if r.strip()))
    if not refs:
        raise InvalidValue("give the ids (or refs) of the places to put in the plan")
    if len(refs) > MAX_PLACES:
        raise InvalidValue(f"a plan holds up to {MAX_PLACES} places; {len(refs)} were given")
    assets: list = []
    for ref in refs:
        asset = catalogue.find(ref)
        if asset.status == "closed":
            raise InvalidValue(f"{asset.id} ({asset.name}) is closed; leave it out of the plan")
        if zones and (asset.lat is None or asset.lon is None):
            raise InvalidValue(
                f"{asset.id} ({asset.name}) has no position, so it cannot be checked against "
                "the avoided zones; check it by hand, or leave it out of the plan"
            )
        for zone in zones:
            # The same test as near's: by postcode district/sector or council where the zone
            # is one, else by the point.
            if zone.contains(asset.lat, asset.lon, asset.postcode or "", asset.area or ""):
                raise InvalidValue(
                    f"{asset.id} ({asset.name}) is inside avoided zone {zone.label}; "
                    "leave it out of the plan"
                )
        if any(a.id == asset.id for a in assets):
            continue
        assets.append(asset)
    if len(assets) > ONE_PAGE:
        warn(f"{len(assets)} places may not fit on one printed page (four do)")
    place = find_place(request.start)
    for warning in place.warnings:
        warn(warning)
    area = person_area(place, gazetteer)
    plan = model.build(assets, (place.lat, place.lon), area,
                       from_words(place, area, request.show_from), request.made_on, request.by,
                       request.went_with)  # fmt: skip
    plan.names_in = gazetteer.names_in  # the wards and neighbourhoods the map labels
    return plan


def render(plan: model.Plan, fmt: str) -> str:
    if fmt == "md":
        from assetmap.plan import markdown

        return markdown.render(plan)
    from assetmap.plan import html

    return html.render(plan)


def check_format(fmt: str) -> str:
    fmt = {"markdown": "md"}.get(fmt.lower(), fmt.lower())
    if fmt not in FORMATS:
        raise InvalidValue(f"--format: '{fmt}' is not one of html, md")
    return fmt


def save(path: str, text: str) -> None:
    """Write the plan whole or not at all, readable by its owner only (it names the person's
    area): the file is made beside the target (mode 0600) and moved into place."""
    from assetmap.transfer.exporter import write_atomically

    write_atomically(path, lambda out: out.write(text), prefix=".assetmap-plan-", private=True)
