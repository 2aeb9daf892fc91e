"""Open Referral UK 3.0 packages: valid Frictionless Data Packages that round-trip, and other
publishers' (here: synthetic, partly invalid) tables imported as far as they can be."""

import csv
import json
import shutil
import uuid
from pathlib import Path

import pytest
from conftest import Cli, isolate, seeded_copy

EXAMPLES = Path(__file__).parent / "data" / "openreferral_uk_examples" / "csv"


@pytest.fixture(
    scope="module",
    params=[
        pytest.param(["--area", "Stoke-on-Trent"], id="stoke"),
        pytest.param([], id="whole", marks=pytest.mark.slow),
    ],
)
def area(request) -> list[str]:
    """What the package holds: Stoke-on-Trent's 44 assets (20 of them the examples, which fill
    the most fields) in the quick loop; the whole bundled catalogue in the whole suite too
    (slow: about 2 s to export, 3 s to check and 2 s each import)."""
    return request.param


@pytest.fixture(scope="module")
def package(area, tmp_path_factory, seeded_catalogue, shared_cache):
    """The bundled catalogue (or one area of it) exported once for the tests that only read
    the package, from a copy of the catalogue every test starts with."""
    folder = tmp_path_factory.mktemp("oruk-package")
    seeded_copy(seeded_catalogue, folder)
    out = folder / "oruk"
    with pytest.MonkeyPatch.context() as mp:
        isolate(mp, folder, shared_cache)
        result = Cli()("export", "--format", "openreferral", str(out), *area)
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


def test_export_then_import_gives_back_the_same_catalogue(cli, package, area, tmp_path):
    fresh = tmp_path / "fresh.db"
    cli("--db", str(fresh), "init", "--empty")
    result = cli("--db", str(fresh), "import", str(package))
    assert "0 updated, 0 unchanged" in result.stderr
    assert cli("--db", str(fresh), "export").stdout == cli("export", *area).stdout
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


# -- the official schemas (tests/data/openreferral_schemas, CC BY-SA 4.0) -----------------------
SCHEMAS = Path(__file__).parent / "data" / "openreferral_schemas"
# The UK profile names three tables in the singular; HSDS 3.0 (and this export) in the plural.
UK_PATHS = {"address.csv": "addresses.csv", "schedule.csv": "schedules.csv", "attribute.csv": "attributes.csv"}  # fmt: skip


def official_package(folder: Path, profile: str) -> tuple[dict, list[str]]:
    """The profile's official datapackage.json, narrowed to the tables the folder has (as
    the HSDS repository's own examples/make_datapackages.py does), and the official required
    fields the folder's tables lack."""
    official = json.loads((SCHEMAS / profile / "datapackage.json").read_text())
    have = {p.name for p in folder.glob("*.csv")}
    resources = [{**r, "path": UK_PATHS.get(r["path"], r["path"])} for r in official["resources"]]
    resources = [r for r in resources if r["path"] in have]
    names = {r["name"] for r in resources}
    missing = []
    for r in resources:
        fks = [
            fk for fk in r["schema"].get("foreignKeys", []) if fk["reference"]["resource"] in names
        ]
        r["schema"] = {k: v for k, v in r["schema"].items() if k != "foreignKeys"} | ({"foreignKeys": fks} if fks else {})  # fmt: skip
        with (folder / r["path"]).open(encoding="utf-8") as fh:
            header = next(csv.reader(fh))
        missing += [f"{r['path']}:{f['name']}" for f in r["schema"]["fields"]
                    if (f.get("constraints") or {}).get("required") and f["name"] not in header]  # fmt: skip
    return {**official, "resources": resources}, missing


def official_errors(folder: Path, profile: str) -> list:
    """Every error frictionless finds in the folder's tables against the official schema.
    HSDS 3.0: the tables' columns must be the official ones, in order. The UK profile has
    fewer columns: its fields are matched by name (schema_sync) and its required ones must
    all be there."""
    from frictionless import Package

    descriptor, missing = official_package(folder, profile)
    if profile != "hsds-3.0":
        for r in descriptor["resources"]:
            r["schema"]["fieldsMatch"] = "partial"  # by name, a column at a time
    report = Package(descriptor, basepath=str(folder)).validate()
    return missing + report.flatten(["rowNumber", "fieldName", "type", "note"])


@pytest.fixture
def trafford(cli, tmp_path):
    """Trafford's 203 assets of the bundled catalogue, one a partner with every staff field."""
    cli("edit", "nrg-gym-stretford-manchester-m32-0qw", "--partnership-status", "partner",
        "--contact-name", "Sam Jones", "--contact-phone", "07912 509665", "--contact-email",
        "sam@example.org", "--staff-notes", "Ask for Sam", "--referral-route", "phone")  # fmt: skip
    return tmp_path


def test_export_meets_the_official_hsds_3_and_uk_profile_tables(cli, trafford):
    for public in ([], ["--public"]):
        out = trafford / f"oruk{len(public)}"
        cli("export", "--format", "openreferral", str(out), "--area", "Trafford", *public)
        services = list(csv.DictReader((out / "services.csv").open(encoding="utf-8")))
        assert len(services) == 203 and all(uuid.UUID(s["id"]) for s in services)
        for profile in ("hsds-3.0", "uk-profile-3.0"):
            assert official_errors(out, profile) == [], profile
    staff = (trafford / "oruk0" / "contacts.csv").read_text()
    assert "Sam Jones" in staff and "Sam Jones" not in (trafford / "oruk1" / "contacts.csv").read_text()  # fmt: skip
    assert "07912 509665" not in (trafford / "oruk1" / "phones.csv").read_text()


def test_the_official_check_finds_what_it_should(cli, trafford):
    """The check above is real: a made-up id and a blank required cell fail, in both."""
    out = trafford / "oruk"
    cli("export", "--format", "openreferral", str(out), "--area", "Trafford")
    rows = (out / "services.csv").read_text(encoding="utf-8").splitlines()
    cells = rows[1].split(",")
    cells[0], cells[8] = "not-a-uuid", ""  # id, status
    (out / "services.csv").write_text("\n".join([rows[0], ",".join(cells), *rows[2:]]) + "\n")
    for profile in ("hsds-3.0", "uk-profile-3.0"):
        found = {(e[1], e[2]) for e in official_errors(out, profile)}
        assert ("id", "type-error") in found and ("status", "constraint-error") in found, profile


def test_openreferral_json_is_the_apis_shape_and_reads_back(cli, trafford, db_file):
    from test_hsds import errors, validator

    page = json.loads(cli("export", "--format", "openreferral-json", "--area", "Trafford").stdout)
    assert page["total_items"] == len(page["contents"]) == 203 and page["last_page"] is True
    for profile in ("hsds-3.0", "uk-profile-3.0"):
        v = validator(profile)
        assert [e for s in page["contents"] for e in errors(v, s)] == [], profile
    public = cli("export", "--format", "openreferral-json", "--public").stdout
    assert "Sam Jones" not in public and "Ask for Sam" not in public
    f = trafford / "services.json"
    f.write_text(json.dumps(page))
    cli("--db", str(db_file), "import", str(f))
    assert cli("--db", str(db_file), "export").stdout == cli("export", "--area", "Trafford").stdout


def _publisher(tmp_path) -> Path:
    """The Open Referral UK example package as another publisher writes it, placed in
    Manchester (the example's coordinates are not on Earth) with its own term 'Counselling'."""
    fixed = tmp_path / "publisher"
    shutil.copytree(EXAMPLES, fixed)
    (fixed / "locations.csv").write_text((fixed / "locations.csv").read_text().replace(",100,101,", ",53.48,-2.24,"))  # fmt: skip
    for name in ("addresses.csv", "address.csv"):
        (fixed / name).write_text((fixed / name).read_text().replace("ABC 1234", "M1 1AD"))
    (fixed / "taxonomy_terms.csv").write_text("id,name,description,taxonomy,taxonomy_id\nt1,Counselling,Talking therapies,ours,x1\n")  # fmt: skip
    (fixed / "attributes.csv").write_text("id,link_id,taxonomy_term_id,link_type,link_entity\na1,ac148810-d857-441c-9679-408f346de14b,t1,service,service\n")  # fmt: skip
    (fixed / "attribute.csv").unlink()
    return fixed


def test_another_publishers_package_imports_with_its_categories_and_public_contacts(cli, db_file, tmp_path):  # fmt: skip
    db = ["--db", str(db_file)]
    package = _publisher(tmp_path)
    refused = cli(*db, "import", str(package), code=1).stderr
    assert "none of its taxonomy terms ('Counselling') is an assetmap category" in refused
    assert "assetmap categories map TERM CATEGORY" in refused and "import --category" in refused
    # The publisher's term, mapped once, gives the category.
    cli(*db, "categories", "map", "Counselling", "peer support")
    terms = json.loads(cli(*db, "categories", "terms", "--format", "json").stdout)
    assert {"term": "counselling", "category": "peer support"} in terms
    cli(*db, "import", str(package))
    [asset] = json.loads(cli(*db, "list", "--format", "json").stdout)
    assert asset["category"] == "peer support" and "counselling" in asset["tags"]
    # Its contact's phone is the service's public phone, not a staff contact's.
    assert asset["phone"] == "+44 1234 234567" and asset["contact_phone"] == "" and asset["contact_name"] == ""  # fmt: skip
    assert "Contact: Ann Persona, Reception Manager" in asset["notes"]
    assert "Cost: £35.00 per 1 hour session (Under 18s and Over 60s)" in asset["notes"]
    assert asset["cost"] == "paid" and "induction loops" in asset["accessibility"]
    assert json.loads(cli(*db, "search", "counselling", "--format", "json").stdout)[0]["phone"] == "+44 1234 234567"  # fmt: skip


def test_import_category_gives_services_no_term_maps_a_category(cli, db_file, tmp_path):
    db = ["--db", str(db_file)]
    package = _publisher(tmp_path)
    typo = cli(*db, "import", str(package), "--category", "pear support", code=1).stderr
    assert "'pear support' is not a category" in typo
    cli(*db, "import", str(package), "--category", "Peer Support")
    [asset] = json.loads(cli(*db, "list", "--format", "json").stdout)
    assert asset["category"] == "peer support"
    # A CSV's rows without a category take it too.
    f = tmp_path / "c.csv"
    f.write_text("name,postcode\nChess Club,M1 1AD\n")
    cli(*db, "import", str(f), "--category", "book club")
    assert {a["category"] for a in json.loads(cli(*db, "list", "--format", "json").stdout)} == {"peer support", "book club"}  # fmt: skip


def test_the_export_says_which_required_fields_an_asset_cannot_fill(cli, db_file, tmp_path):
    """HSDS 3.0 requires an address's city, county and postcode: an asset with no area or
    postcode cannot give them, and the export says which, instead of writing them blank
    silently."""
    db = ["--db", str(db_file)]
    cli(*db, "add", "--name", "Canal Walk", "--category", "walking group", "--lat", "53.48",
        "--lon", "-2.24", "--address", "Castlefield Basin")  # fmt: skip
    cli(*db, "add", "--name", "Full", "--category", "gym", "--postcode", "M1 1AD")
    out = cli(*db, "export", "--format", "openreferral", str(tmp_path / "oruk"))
    assert "1 of 2 services have no address postal_code, which HSDS 3.0 requires (canal-walk" in out.stderr  # fmt: skip
    assert "full-m1-1ad" not in out.stderr


def test_a_package_written_before_the_work_contact_was_marked_keeps_it_staff_only(cli, db_file, tmp_path):  # fmt: skip
    """assetmap's packages before HSDS ids (taxonomy 'assetmap' version 1) had one contact, the
    work contact, its phone linked to the service too: it comes back staff-only, and the
    public phone stays the service's own."""
    old = tmp_path / "old"
    old.mkdir()
    tables = {
        "services": "id,organization_id,name,status\nhanley-walkers-st1-3eb,org-1,Hanley Walkers,active\n",
        "locations": "id,location_type,latitude,longitude\nloc-1,physical,53.0163,-2.1745\n",
        "service_at_location": "id,service_id,location_id\nsal-1,hanley-walkers-st1-3eb,loc-1\n",
        "contacts": "id,service_id,name,title,email\ncontact-1,hanley-walkers-st1-3eb,Sam Okafor,Walk leader,sam@example.org\n",
        "phones": "id,service_id,contact_id,number\nphone-1,hanley-walkers-st1-3eb,,01782 123456\ncontact-phone-1,hanley-walkers-st1-3eb,contact-1,07700 900123\n",
        "taxonomies": "id,name,description,uri,version\nassetmap,assetmap,assetmap's own fields,https://github.com/assetmap,1\n",
        "taxonomy_terms": "id,code,name,description,taxonomy_id\nassetmap-category,category,category,assetmap field,assetmap\n",
        "attributes": "id,link_id,taxonomy_term_id,link_type,link_entity,value\na1,hanley-walkers-st1-3eb,assetmap-category,service,service,walking group\n",
    }  # fmt: skip
    for name, text in tables.items():
        (old / f"{name}.csv").write_text(text)
    cli("--db", str(db_file), "import", str(old))
    shown = json.loads(cli("--db", str(db_file), "show", "hanley-walkers-st1-3eb", "--format", "json").stdout)  # fmt: skip
    assert (shown["contact_name"], shown["contact_phone"]) == ("Sam Okafor", "07700 900123")
    assert shown["phone"] == "01782 123456" and "Sam" not in shown["notes"]


def test_a_coarse_point_stays_coarse_through_open_referral_both_ways(cli, db_file, tmp_path):
    """A point placed only at district level, pulled from a served catalogue or read back
    from its export, read as 'given' (exact): `check` no longer said it was coarse."""
    import sqlite3

    from assetmap.catalogue.models import Asset
    from assetmap.transfer.hsds import asset_to_service, service_to_asset

    for precision in ("district", "sector", "place", "council", "postcode", "given"):
        a = Asset(id="x", name="Club", category="gym", postcode="ST4 7QB", lat=53.0, lon=-2.18,
                  geo_precision=precision)  # fmt: skip
        back, problems = service_to_asset(json.loads(json.dumps(asset_to_service(a))))
        assert problems == [] and back is not None
        assert back.geo_precision == precision
    # Another publisher's service says nothing of precision: its point is as given.
    a = Asset(id="y", name="Club", category="gym", lat=53.0, lon=-2.18, geo_precision="district")
    service = asset_to_service(a)
    service["attributes"] = [t for t in service["attributes"]
                             if t["taxonomy_term"]["code"] != "geo_precision"]  # fmt: skip
    assert service_to_asset(service)[0].geo_precision == "given"
    # A value we do not know is not believed.
    bad = asset_to_service(a)
    for t in bad["attributes"]:
        if t["taxonomy_term"]["code"] == "geo_precision":
            t["value"] = "<b>exact</b>"
    assert service_to_asset(bad)[0].geo_precision == "given"

    # End to end: export as the API's JSON, import into another catalogue, check.
    db = ["--db", str(db_file)]
    f = tmp_path / "a.csv"
    f.write_text("name,category,postcode\nCoarse Club,gym,ST4 7QB\nExact Gym,gym,ST4 7QB\n")
    cli(*db, "import", str(f))
    with sqlite3.connect(db_file) as conn:  # as a geocode that fell back to the district left it
        conn.execute("UPDATE assets SET geo_precision = 'district' WHERE name = 'Coarse Club'")
    conn.close()
    page = tmp_path / "services.json"
    page.write_text(cli(*db, "export", "--format", "openreferral-json").stdout)
    other = ["--db", str(tmp_path / "other.db")]
    cli(*other, "init", "--empty")
    cli(*other, "import", str(page))
    coarse = [p["name"] for p in json.loads(cli(*other, "check", "--format", "json").stdout)
              if p["problem"] == "coarse coordinates"]  # fmt: skip
    assert coarse == ["Coarse Club"]
