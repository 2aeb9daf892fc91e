"""How long a walk is likely to take, from the straight-line distance. An estimate, and the plan
says so.

- Detour factor 1.22: walking routes are longer than the straight line. O'Sullivan and Morrall
  (1996), "Walking distances to and from light-rail transit stations", Transportation Research
  Record 1538, measured 1.21-1.23 on walks to stations; Newell (1980) gives about 1.2 for
  urban networks in general.
- Speed 4.8 km/h: the Department for Transport's Manual for Streets (2007), para 4.4.1, takes
  a 10-minute walk as about 800 m.
- Beyond 3 km in a straight line (about 45 minutes on foot) the plan says "further than a
  comfortable walk" rather than a number of minutes.
"""

from __future__ import annotations

DETOUR_FACTOR = 1.22
WALKING_KMH = 4.8
COMFORTABLE_KM = 3.0
SOURCES = (
    f"Walking times are estimates: the straight-line distance × {DETOUR_FACTOR} for the way "
    f"streets wind (O'Sullivan and Morrall 1996, Transportation Research Record 1538), at "
    f"{WALKING_KMH:g} km/h (800 m in 10 minutes: Manual for Streets, DfT 2007, 4.4.1). "
    f"Beyond {COMFORTABLE_KM:g} km it says further than a comfortable walk."
)


def walking_minutes(straight_km: float) -> int | None:
    """Minutes on foot, to the nearest 5 (at least 5); None when further than a comfortable
    walk."""
    if straight_km > COMFORTABLE_KM:
        return None
    minutes = straight_km * DETOUR_FACTOR / WALKING_KMH * 60
    return max(5, 5 * round(minutes / 5))


def describe(straight_km: float) -> str:
    minutes = walking_minutes(straight_km)
    if minutes is None:
        return "further than a comfortable walk"
    return f"about {minutes} minutes' walk (estimate)"
