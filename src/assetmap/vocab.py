"""The record's columns and vocabularies: plain constants, cheap to import (the CLI's help
text needs them before anything else is loaded)."""

# Column order for CSV export and the documented record layout.
COLUMNS = [
    "id", "name", "category", "tags", "description", "address", "postcode", "area",
    "lat", "lon", "phone", "email", "website", "schedule", "cost", "min_age", "max_age",
    "gender", "accessibility", "referral", "welcomes_convictions", "dbs_required",
    "involves_children", "capital", "status", "verified_on", "source", "notes",
]  # fmt: skip

COST = ("free", "low", "paid")
GENDER = ("any", "women", "men")
REFERRAL = ("drop-in", "self-referral", "referral-needed", "membership")
FLAG = ("yes", "no", "unknown")
CAPITAL = ("bonding", "bridging", "linking")
STATUS = ("active", "temporarily-closed", "closed")
FLAG_FIELDS = ("welcomes_convictions", "dbs_required", "involves_children")

# Precision of an asset's coordinates: given directly, or from the gazetteer at some level.
PRECISIONS = ("given", "postcode", "sector", "district", "place", "council", "coordinates")

DEFAULT_CATEGORIES = [
    "faith group", "gym", "sports club", "football team", "walking group", "running group",
    "book club", "foodbank", "volunteering", "peer support", "recovery group", "library",
    "education", "employment support", "gardening", "arts and culture", "community centre",
    "mentoring",
]  # fmt: skip
