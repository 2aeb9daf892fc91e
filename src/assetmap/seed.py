"""The bundled seed catalogue (data/seed_assets.csv in the repository, package data when
installed): loaded into every new catalogue unless `assetmap init --empty`."""

from __future__ import annotations

import csv
import io
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from assetmap.models import Asset

if TYPE_CHECKING:
    from assetmap.catalogue import Catalogue

SEED_NAME = "seed_assets.csv"


def seed_text() -> str:
    packaged = resources.files("assetmap") / "data" / SEED_NAME
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    # Running from a source checkout (editable install): the repository's data/ folder.
    source = Path(__file__).resolve().parents[2] / "data" / SEED_NAME
    return source.read_text(encoding="utf-8")


def seed_assets(categories: dict[str, str]) -> list[Asset]:
    reader = csv.DictReader(io.StringIO(seed_text()))
    return [Asset.from_row(row, categories=categories) for row in reader]


def load_seed(cat: Catalogue) -> int:
    assets = seed_assets(cat.categories())
    cat.write(assets)
    return len(assets)
