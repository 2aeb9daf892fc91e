"""Staff-only fields (partnership status, the work contact, contact dates, staff notes) stay
out of every search output unless --include-staff asks: a web map made from `near --format
geojson` must not carry the team's contacts. Checked over every command and format that could
carry one."""

import json

import pytest

SECRETS = ("Sam Okafor", "07700 900123", "sam@allotments.example", "quieter on Wednesdays")
SEARCHES = [
    ("near", "M14 4HY", "--goal", "be outdoors", "--within", "2km"),
    ("near", "M14 4HY", "--partners-only"),
    ("search", "allotment"),
]
FORMATS = ("table", "json", "csv", "ndjson", "geojson")


@pytest.fixture
def db(cli, db_file):
    db = ["--db", str(db_file)]
    cli(*db, "add", "--name", "Moss Side Allotment", "--category", "gardening", "--postcode",
        "M14 4HY", "--tags", "outdoors;growing", "--phone", "0161 226 0000",
        "--partnership-status", "partner", "--contact-name", "Sam Okafor", "--contact-role",
        "Volunteer coordinator", "--contact-phone", "07700 900123", "--contact-email",
        "sam@allotments.example", "--referral-route", "phone", "--referral-details", "Tue-Thu",
        "--staff-notes", "quieter on Wednesdays", "--last-contact", "2026-11-01")  # fmt: skip
    return db


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("search", SEARCHES, ids=[" ".join(s[:1] + s[-1:]) for s in SEARCHES])
def test_search_output_carries_no_staff_field_unasked(cli, db, search, fmt):
    out = cli(*db, *search, "--format", fmt).stdout
    assert "Moss Side Allotment" in out and "0161 226 0000" in out  # the public phone stays
    for secret in SECRETS:
        assert secret not in out, (search, fmt, secret)
    for field in ("partnership_status", "contact_name", "contact_phone"):
        assert field not in out
    assert "referral by phone (Tue-Thu)" in out  # how to refer is public
    staff = cli(*db, *search, "--format", fmt, "--include-staff").stdout
    assert "Sam Okafor" in staff
    if fmt != "table":
        assert "07700 900123" in staff and "partnership_status" in staff


def test_public_json_fields_are_the_documented_ones_without_staff(cli, db):
    [r] = json.loads(cli(*db, "near", "M14 4HY", "--format", "json").stdout)
    assert {"phone", "email", "website", "referral_route", "referral_details", "welcomes_mentor"} <= set(r)  # fmt: skip
    assert not {"partnership_status", "contact_name", "contact_phone"} & set(r)
    [geo] = json.loads(cli(*db, "near", "M14 4HY", "--format", "geojson").stdout)["features"]
    assert not {"partnership_status", "contact_name", "contact_phone"} & set(geo["properties"])


def test_the_other_outputs_a_person_or_the_public_may_see_carry_none(cli, db, tmp_path):
    """The plan (for the person), stale (a weekly mail), export --public and the Open
    Referral exports written --public."""
    outputs = [
        cli(*db, "plan", "moss", "--from", "M14 4HY", "--format", "md").stdout,
        cli(*db, "stale", "--format", "json").stdout,
        cli(*db, "export", "--public", "--format", "json").stdout,
        cli(*db, "export", "--public", "--format", "geojson").stdout,
        cli(*db, "export", "--public", "--format", "openreferral-json").stdout,
    ]
    cli(*db, "export", "--public", "--format", "openreferral", str(tmp_path / "oruk"))
    outputs += [p.read_text() for p in (tmp_path / "oruk").glob("*.csv")]
    for text in outputs:
        for secret in SECRETS:
            assert secret not in text


def test_a_route_whose_details_hold_a_semicolon_still_hides_the_contact(cli, db_file):
    """The public `why` is built without the staff facts, not cut out of the staff one by
    matching text: details such as "Tue 10-12; Thu 2-4" split that text, and the work contact's
    name leaked into the public JSON."""
    db = ["--db", str(db_file)]
    cli(*db, "add", "--name", "Hulme Boxing Club", "--category", "sports club", "--postcode",
        "M15 5RN", "--partnership-status", "partner", "--contact-name", "Jo Reyes",
        "--referral-route", "phone", "--referral-details", "Tue 10-12; Thu 2-4")  # fmt: skip
    for fmt in ("json", "csv", "table"):
        out = cli(*db, "near", "M15 5RN", "--within", "0.5km", "--format", fmt).stdout
        assert "Hulme Boxing Club" in out
        assert "Jo Reyes" not in out, fmt
        assert "referral by phone (Tue 10-12; Thu 2-4)" in out, fmt
    staff = cli(*db, "near", "M15 5RN", "--within", "0.5km", "--format", "json", "--include-staff")
    assert "partner, referral by phone to Jo Reyes (Tue 10-12; Thu 2-4)" in staff.stdout
