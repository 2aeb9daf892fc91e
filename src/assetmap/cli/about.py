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
  Neighbourhood names (16,585 names: Splott, Shelton, Moss Side, Roath...), each at the centre
    of its area:
    Ward names (May 2025 electoral wards, England, Wales and Scotland): Source: Office for
      National Statistics licensed under the Open Government Licence v.3.0; contains OS data
      © Crown copyright and database right 2025
    Census area names (MSOA 2021, England and Wales): Contains Parliamentary information
      licensed under the Open Parliament Licence v3.0 (House of Commons Library MSOA Names);
      area boundaries from the ONS, Open Government Licence v.3.0
    Both via github.com/drkane/geo-lookups (David Kane), which compiles them from the ONS
      Open Geography Portal
    40 more from the locality line of the addresses of public libraries and food banks, all
      under the Open Government Licence v3.0: Contains public sector information from DCMS
      ("Public libraries in England", 2023, via LibrariesHacked); Greater Manchester food
      banks (2018, GM Poverty Action) and libraries (DCMS list amended by GM councils) via
      Trafford Data Lab

Goal lexicon (src/assetmap/data/lexicon; its NOTICE has the full WordNet licence):
  Word table derived from WordNet 3.0. WordNet 3.0 Copyright 2006 by Princeton University.
    All rights reserved. Provided "as is", without warranty (https://wordnet.princeton.edu/license-and-commercial-use)
  Stems computed with the Snowball English stemmer (snowballstemmer 3.1.1, BSD 3-Clause)
  The British cue lexicon (cues.txt) is this project's own.

Council boundaries drawn on plan maps (data/boundaries):
  England: Source: Office for National Statistics licensed under the Open Government Licence
    v.3.0; contains OS data © Crown copyright and database right 2024 (LAD May 2024 BUC)
  Scotland: OGL v3; contains OS data © Crown copyright and database right (via nptscot/npw
    and a-b-street/ltn)
  Wales and Northern Ireland: "GeoJSON and TopoJSON UK Boundary Data" by Martin Chorley
    (github.com/martinjc/UK-GeoJSON), CC BY 4.0; contains OS data © Crown copyright and
    database right 2014

Open Government Licence v3.0: https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/
Open Parliament Licence v3.0: https://www.parliament.uk/site-information/copyright-parliament/open-parliament-licence/
CC BY 4.0: https://creativecommons.org/licenses/by/4.0/
"""


def sources_text() -> str:
    """The bundled sources' provenance, from the same manifest that loads them."""
    from assetmap.catalogue.seed import bundled

    lines = [
        "Bundled sources (each asset's `source` names its own; `assetmap sources` lists them):"
    ]
    for name, m in bundled().items():
        lines.append(f"  {name}: {m['title']} ({m['assets']} assets, {m['retrieved']})")
        lines.append(f"    {m['attribution']}; licence: {m['licence']}")
        lines.append(f"    from {m['origin']}")
    lines.append(
        "  Records in `examples` are hand-written, not real organisations; their names end in\n"
        "  [example] and their postcodes are real (`assetmap sources remove examples`)."
    )
    return "\n".join(lines) + "\n\n"


def about_text() -> str:
    head, tail = ATTRIBUTIONS.split("Open Government Licence v3.0: https", 1)
    return (
        f"assetmap {__version__}\n"
        f"catalogue: {config.default_db_path()} (override with --db or ASSETMAP_DB)\n"
        f"cache:     {config.cache_dir()}\n\n"
        + fit(head, join=True)
        + fit(sources_text())
        + fit(f"Open Government Licence v3.0: https{tail}")
    )


WIDTH = 80


def fit(text: str, join: bool = False) -> str:
    """Text wrapped to an 80-column terminal, each line's overflow indented two under it. With
    `join`, a line indented two more than a line that does not end with ':' continues it (the
    way ATTRIBUTIONS is written), and is rewrapped with it. A web address is never broken."""
    import textwrap

    logical: list[list] = []  # [indent, words]
    for line in text.split("\n"):
        indent = len(line) - len(line.lstrip())
        prev = logical[-1] if logical else None
        if join and prev and line.strip() and indent == prev[0] + 2 and not prev[1].endswith(":"):
            prev[1] += " " + line.strip()
        else:
            logical.append([indent, line.strip()])
    return "\n".join(
        textwrap.fill(
            words, WIDTH, initial_indent=" " * indent, subsequent_indent=" " * (indent + 2),
            break_long_words=False, break_on_hyphens=False,
        ) if words else ""
        for indent, words in logical
    )  # fmt: skip
