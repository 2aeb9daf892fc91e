"""The bundled seed catalogue (data/seed_assets.csv in the repository, package data when
installed): loaded into every new catalogue unless `assetmap init --empty`."""

from __future__ import annotations

import csv
import io
from importlib import resources
from pathlib import Path

from assetmap.catalogue.models import Asset

SEED_NAME = "seed_assets.csv"


def seed_text() -> str:
    packaged = resources.files("assetmap") / "data" / SEED_NAME
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    # Running from a source checkout (editable install): the repository's data/ folder.
    source = Path(__file__).resolve().parents[3] / "data" / SEED_NAME
    return source.read_text(encoding="utf-8")


def seed_assets(categories: dict[str, str]) -> list[Asset]:
    reader = csv.DictReader(io.StringIO(seed_text()))
    return [Asset.from_row(row, categories=categories) for row in reader]
