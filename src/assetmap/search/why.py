"""The `why` column: how each result meets the goals, how far it is, how to refer, and what to
check first, in words a practitioner reads aloud."""

from __future__ import annotations

from assetmap.search import safeguarding
from assetmap.search.filters import NO_TIMES
from assetmap.search.strength import CLEAR

# How `why` words a referral route: "referral by phone to Sam (Tue-Thu)".
ROUTE_WORDS = {"phone": "by phone", "email": "by email", "form": "by form",
               "drop-in": "at a drop-in", "other": ""}  # fmt: skip


# A phrase longer than this is not repeated in each row: the note quotes it once, and each
# row says what it was read as (ten results must fit one 80-column screen).
QUOTED_WORDS = 4


def _goal_words(met) -> list[str]:
    """'fits "get fit" and "meet people"'; 'loosely fits "into boats" -> be outdoors (boats)';
    'fits housing (sofa surfing)' for a long phrase."""
    clear: list[str] = []
    loose: list[str] = []
    for name, strength, read_as in met:
        if read_as and len(name.split()) > QUOTED_WORDS:
            said = read_as
        else:
            said = f'"{name}"' + (f" -> {read_as}" if read_as else "")
        (clear if strength >= CLEAR else loose).append(said)
    out = []
    if clear:
        out.append("fits " + " and ".join(clear))
    if loose:
        out.append("loosely fits " + " and ".join(loose))
    return out


def why(row, goals_met, distance, cautions, fresh: bool, *, staff: bool = True) -> str:
    """Without `staff`, only what is public: how to refer, not the partnership or the work
    contact's name (a `why` in shared output, such as a web map made from --format geojson)."""
    parts = _goal_words(goals_met)
    if distance is not None:
        parts.append(f"{distance:.1f} km")
    if relation := _relationship(row, staff):
        parts.append(relation)
    if row["welcomes_mentor"] == "yes":
        parts.append("a mentor can come along")
    if NO_TIMES not in cautions:
        parts.append(row["schedule"] or "times not recorded")
    parts.append(row["cost"] or "cost unknown")
    if row["referral"] == "referral-needed":
        # A foodbank that needs a referral (Trussell Trust) needs a voucher from an agency.
        parts.append("voucher needed" if row["category"] == "foodbank" else "referral needed")
    if row["welcomes_convictions"] == "yes":
        parts.append("welcomes people with convictions")
    if row["dbs_required"] == "yes":
        parts.append("DBS check needed")
    if row["involves_children"] == "yes":
        parts.append("involves children")
    elif (signal := safeguarding.children_signal(row)) and not any(
        c.startswith("likely involves children") for c in cautions
    ):
        parts.append(safeguarding.children_caution(*signal))
    parts.extend(cautions)
    if row["status"] != "active":
        parts.append(row["status"].upper())
    if not fresh:
        parts.append(f"not verified since {row['verified_on']}" if row["verified_on"] else "never verified")  # fmt: skip
    return "; ".join(parts)


def _relationship(row, staff: bool = True) -> str:
    """'partner, referral by phone to Sam (Tue-Thu)': the status when it is partner, and how
    to refer, to whom, with the route's details. Without `staff`, only what is public: how to
    refer ('referral by phone (Tue-Thu)'), not the partnership or the work contact's name."""
    parts = ["partner"] if staff and row["partnership_status"] == "partner" else []
    route = row["referral_route"]
    if route or row["referral_details"]:
        text = " ".join(w for w in ("referral", ROUTE_WORDS.get(route, "")) if w)
        if staff and row["contact_name"]:
            text += f" to {row['contact_name']}"
        if row["referral_details"]:
            text += f" ({row['referral_details']})"
        parts.append(text)
    return ", ".join(parts)
