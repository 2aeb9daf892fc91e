"""Sharing a team's catalogue: `assetmap publish` writes an immutable public snapshot of it,
and `assetmap serve` serves that snapshot as an Open Referral UK (HSDS 3.0) API on Datasette.

`snapshot` (publish) needs nothing beyond assetmap itself; `api` answers the ORUK requests
from a snapshot; `plugin` is the Datasette plugin that routes them; `server` starts Datasette.
Datasette is the optional extra `assetmap[serve]`, imported only by `plugin` and `server`.
"""
