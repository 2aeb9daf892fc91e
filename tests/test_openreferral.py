"""Open Referral UK 3.0 packages: valid Frictionless Data Packages that round-trip, and other
publishers' (here: synthetic, partly invalid) tables imported as far as they can be."""

import csv
import json
import shutil
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parent / "data" / "openreferral_uk_examples" / "csv"


@pytest.fixture
def package(cli, tmp_path):
    out = tmp_path / "oruk"
    result = cli("export", "--format", "openreferral", str(out))
    assert "services written" in result.stderr
    return out


def test_export_is_a_valid_frictionless_data_package(package):
    from frictionless import validate

    report = validate(str(package / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    names = {r["name"] for r in json.loads((package / "datapackage.json").read_text())["resources"]}
    assert {"organizations", "services", "locations", "service_at_location", "addresses", "phones",
            "schedules", "cost_options", "taxonomies", "taxonomy_terms", "attributes"} <= names  # fmt: skip


def test_assetmap_fields_travel_as_attributes(package):
    with (package / "attributes.csv").open(encoding="utf-8") as fh:
        attrs = list(csv.DictReader(fh))
    with (package / "taxonomy_terms.csv").open(encoding="utf-8") as fh:
        codes = {t["id"]: t["code"] for t in csv.DictReader(fh)}
    terms = {codes[a["taxonomy_term_id"]] for a in attrs}
    assert {"welcomes_convictions", "dbs_required", "involves_children",
            "capital", "tags", "category"} <= terms  # fmt: skip
    with (package / "schedules.csv").open(encoding="utf-8") as fh:
        schedules = list(csv.DictReader(fh))
    assert any(s["byday"] == "SA" and s["opens_at"] == "10:00:00" for s in schedules)


def test_export_then_import_gives_back_the_same_catalogue(cli, package, tmp_path):
    fresh = tmp_path / "fresh.db"
    cli("--db", str(fresh), "init", "--empty")
    result = cli("--db", str(fresh), "import", str(package))
    assert "0 updated, 0 unchanged" in result.stderr
    assert cli("--db", str(fresh), "export").stdout == cli("export").stdout
    again = cli("--db", str(fresh), "import", str(package / "datapackage.json"))
    assert "0 added, 0 updated" in again.stderr


def test_shared_open_referral_examples_are_reported_not_crashed(cli, db_file, tmp_path):
    db = ["--db", str(db_file)]
    strict = cli(*db, "import", str(EXAMPLES), code=1)
    err = strict.stderr
    assert "services.csv row 2, column category" in err
    assert "column postcode: 'ABC 1234' is not a full UK postcode" in err
    assert "column lat: 100 is outside -90 to 90" in err
    assert "Traceback" not in err
    lenient = cli(*db, "import", str(EXAMPLES), "--skip-invalid", code=3)
    assert "1 skipped" in lenient.stderr
    # Given what it lacks (an assetmap category, a UK place), the same service imports.
    fixed = tmp_path / "fixed"
    shutil.copytree(EXAMPLES, fixed)
    for name in ("locations.csv",):
        text = (fixed / name).read_text().replace(",100,101,", ",53.48,-2.24,")
        (fixed / name).write_text(text)
    for name in ("addresses.csv", "address.csv"):
        (fixed / name).write_text((fixed / name).read_text().replace("ABC 1234", "M1 1AD"))
    (fixed / "taxonomy_terms.csv").write_text("id,code,name,description,taxonomy_id\nt1,category,category,assetmap category,assetmap\n")  # fmt: skip
    (fixed / "attributes.csv").write_text("id,link_id,taxonomy_term_id,link_type,link_entity,value\na1,ac148810-d857-441c-9679-408f346de14b,t1,service,service,peer support\n")  # fmt: skip
    cli(*db, "import", str(fixed))
    [asset] = json.loads(cli(*db, "list", "--format", "json").stdout)
    assert asset["name"] == "Community Counselling" and asset["category"] == "peer support"
    assert asset["min_age"] == 12 and asset["max_age"] == 100
    assert asset["phone"] == "+44 1234 234567"
    assert asset["schedule"] == "Thu,Fri 10:00-18:00"


def test_openreferral_export_needs_a_folder(cli, tmp_path):
    assert "give its path" in cli("export", "--format", "openreferral", code=1).stderr
    f = tmp_path / "file.txt"
    f.write_text("x")
    assert "is a file" in cli("export", "--format", "openreferral", str(f), code=1).stderr
