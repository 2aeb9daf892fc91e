"""`assetmap about`: version, where things are, and the licences of the bundled data."""

from __future__ import annotations

from assetmap import __version__, config

ATTRIBUTIONS = """\
Bundled data and its licences
-----------------------------
Gazetteer (postcodes, sectors, districts, councils, towns):
  Contains OS data © Crown copyright and database right 2025
  Contains Royal Mail data © Royal Mail copyright and database right 2025
  Contains National Statistics data © Crown copyright and database right 2025
  Source: Office for National Statistics licensed under the Open Government Licence v.3.0
  Contains GeoNames data (https://www.geonames.org), CC BY 4.0
  Welsh and Northern Ireland boundaries: "GeoJSON and TopoJSON UK Boundary Data" by Martin
    Chorley (github.com/martinjc/UK-GeoJSON), CC BY 4.0; contains OS data © Crown copyright
    and database right 2014
  Northern Ireland full postcodes are not included (not open for commercial use).

Seed catalogue (data/seed_assets.csv); each record names its source in `source`:
  Greater Manchester food banks (2018), GM Poverty Action via Trafford Data Lab, OGL v3
  Greater Manchester libraries, DCMS list amended by GM councils via Trafford Data Lab, OGL v3
  Trafford sports clubs (2018), Trafford Council via Trafford Data Lab, OGL v3
  Trafford sport facilities: Contains Data © Sport England (Active Places), CC BY 4.0
  Greater Manchester places of worship: Contains OS data © Crown copyright and database
    right 2018 (OS Open Map Local), OGL v3
  Give Food (https://www.givefood.org.uk) food bank data, public domain (Unlicense)
  Records whose source starts with "example" are hand-written examples, not real
  organisations; their postcodes are real, their names and details are not.

Open Government Licence v3.0: https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/
CC BY 4.0: https://creativecommons.org/licenses/by/4.0/
"""


def about_text() -> str:
    return (
        f"assetmap {__version__}\n"
        f"catalogue: {config.default_db_path()} (override with --db or ASSETMAP_DB)\n"
        f"cache:     {config.cache_dir()}\n\n"
        f"{ATTRIBUTIONS}"
    )
