"""The commands, grouped by job. Each module registers its commands on `assetmap.cli.app.app`
when imported; `assetmap.cli.app.COMMAND_MODULES` says which module holds which command."""

# The CSV columns of a search result (`near` and `search`).
RESULT_COLUMNS = [
    "id", "name", "category", "tags", "distance_km", "score", "goals_met", "why", "postcode",
    "area", "address", "lat", "lon", "schedule", "cost", "referral", "welcomes_convictions",
    "dbs_required", "involves_children", "phone", "email", "website", "status", "verified_on",
]  # fmt: skip
