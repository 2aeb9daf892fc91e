"""The one Open Referral mapping (assetmap.transfer.hsds): an asset as a nested HSDS 3.0 service,
valid against the official HSDS 3.0 and Open Referral UK 3.0 schemas (vendored in
tests/data/openreferral_schemas with their licence), and a service from us or any publisher
back into an asset, with its problems and never a traceback."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_budget import examples

from assetmap.catalogue.models import Asset
from assetmap.catalogue.vocab import STAFF_ONLY
from assetmap.transfer.hsds import (
    NAMESPACE,
    asset_to_service,
    service_fields,
    service_to_asset,
    uid,
)

DATA = Path(__file__).parent / "data"
SCHEMAS = DATA / "openreferral_schemas"
EXAMPLE = DATA / "openreferral_uk_examples" / "json" / "service_full.json"
# The HTML standard's valid e-mail address (jsonschema's own check only looks for an '@').
_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)


def validator(profile: str):
    """A validator for one official service schema, checking the formats it names (uuid,
    email, uri, date) strictly."""
    from jsonschema import Draft202012Validator, FormatChecker

    checker = FormatChecker()
    checker.checks("email")(lambda v: not isinstance(v, str) or bool(_EMAIL.match(v)))

    @checker.checks("uri")
    def _uri(v):
        if not isinstance(v, str):
            return True
        parts = urlsplit(v)
        return parts.scheme in ("http", "https") and "." in parts.netloc and " " not in v

    schema = json.loads((SCHEMAS / profile / "service.json").read_text())
    return Draft202012Validator(schema, format_checker=checker)


def errors(v, service: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in v.iter_errors(service)]


def seed_assets(cli) -> list[Asset]:
    """Every asset of the bundled catalogue (seeded on first use), as Asset objects."""
    rows = json.loads(cli("export", "--format", "json").stdout)
    categories = {c["category"].lower(): c["category"] for c in json.loads(cli("categories", "--format", "json").stdout)}  # fmt: skip
    out = []
    for r in rows:
        r.pop("geo_precision", None)
        cells = {k: "" if v is None else ";".join(v) if isinstance(v, list) else str(v) for k, v in r.items()}  # fmt: skip
        out.append(Asset.from_row(cells, categories=categories))
    return out


def full_asset(**over) -> Asset:
    """An asset with every field filled, staff fields included."""
    values = dict(
        id="hanley-walkers-st1-3eb", name="Hanley Walkers", category="walking group",
        tags=["walking", "outdoors"], description="A friendly walk round the park.",
        address="Hanley Park Pavilion\nCleveland Road", postcode="ST1 3EB", area="Stoke-on-Trent",
        lat=53.0163, lon=-2.1745, phone="01782 123456", email="walks@example.org",
        website="https://example.org/walks", schedule="Sat 10:00-12:00; Wed 18:00-19:30",
        cost="free", min_age=18, max_age=99, gender="any", accessibility="Step-free paths",
        referral="drop-in", welcomes_convictions="yes", dbs_required="no",
        involves_children="no", capital=["bridging"], status="active", verified_on="2026-10-01",
        source="council", notes="Meet at the pavilion.", partnership_status="partner",
        contact_name="Sam Jones", contact_role="Walk leader", contact_phone="07700 900123",
        contact_email="sam@example.org", referral_route="phone", referral_details="Tue-Thu",
        welcomes_mentor="yes", last_contact="2026-11-01", next_contact="2027-02-01",
        staff_notes="Ask for Sam", geo_precision="given",
    )  # fmt: skip
    values.update(over)
    return Asset(**values)


@pytest.fixture(scope="module")
def validators():
    return {p: validator(p) for p in ("hsds-3.0", "uk-profile-3.0")}


def test_the_vendored_schemas_are_the_official_ones_and_catch_what_they_should(validators):
    # The check is real: a service with a made-up id, status and e-mail fails both.
    bad = {"id": "x", "name": "n", "status": "open", "email": "<a@b.uk>", "url": "not a url"}
    for v in validators.values():
        found = " | ".join(errors(v, bad))
        assert "'x' is not a 'uuid'" in found and "'open' is not one of" in found
        assert "'<a@b.uk>' is not a 'email'" in found and "'not a url' is not a 'uri'" in found
    assert (SCHEMAS / "hsds-3.0" / "LICENSE").read_text().startswith("The Human Services Data Specification")  # fmt: skip


def test_a_full_asset_is_a_valid_service_in_both_schemas(validators):
    for staff in (False, True):
        service = asset_to_service(full_asset(), include_staff=staff)
        for v in validators.values():
            assert errors(v, service) == []
    service = asset_to_service(full_asset())
    assert service["status"] == "active" and service["name"] == "Hanley Walkers"
    [sal] = service["service_at_locations"]
    [address] = sal["location"]["addresses"]
    assert address["postal_code"] == "ST1 3EB" and address["address_1"] == "Hanley Park Pavilion"
    assert address["country"] == "GB" and address["city"] == "Stoke-on-Trent"
    assert sal["location"]["accessibility"][0]["description"] == "Step-free paths"
    assert service["phones"][0]["number"] == "01782 123456"
    assert {(s["byday"], s["opens_at"], s["closes_at"]) for s in service["schedules"]} == {
        ("SA", "10:00:00", "12:00:00"), ("WE", "18:00:00", "19:30:00")}  # fmt: skip
    assert service["cost_options"][0]["amount"] == 0
    assert service["application_process"] == "Drop in; refer by phone; Tue-Thu"
    assert service["eligibility_description"] == "ages 18 to 99"


@pytest.mark.parametrize(
    "spread", [pytest.param(60, id="a-spread"), pytest.param(15, id="all", marks=pytest.mark.slow)]
)
def test_every_bundled_asset_is_a_valid_service_and_round_trips(cli, validators, spread):
    """Every asset of the bundled catalogue reads back from its service as it was. A spread of
    them (every invented example, which fill the most fields, and every 15th of the rest: the
    whole catalogue takes 40 s) meets both official schemas. The quick loop (`a-spread`) checks
    the examples and every 60th asset, both ways; the whole suite also runs `all` (slow)."""
    assets = seed_assets(cli)
    sample = [a for i, a in enumerate(assets) if a.source == "examples" or i % spread == 0]
    assert len(sample) > 7612 // spread
    for a in sample:
        for v in validators.values():
            assert errors(v, asset_to_service(a, include_staff=True)) == [], a.id
    for a in assets if spread == 15 else sample:
        back, problems = service_to_asset(
            json.loads(json.dumps(asset_to_service(a, include_staff=True))),
            categories={a.category.lower(): a.category},
        )
        assert problems == [] and back.to_row() == a.to_row(), a.id


def test_ids_are_stable_uuids_derived_from_the_asset_id():
    one, again = asset_to_service(full_asset()), asset_to_service(full_asset(name="Renamed"))
    other = asset_to_service(full_asset(id="another-walk-st1-3eb"))
    assert one["id"] == again["id"] and one["id"] != other["id"]
    assert uuid.UUID(one["id"]).version == 5
    ids = re.findall(r'"(?:id|\w+_id)": "([^"]+)"', json.dumps(one))
    assert ids and all(uuid.UUID(i) for i in ids)


def test_only_public_fields_unless_the_staff_ones_are_asked_for():
    asset = full_asset()
    public = json.dumps(asset_to_service(asset))
    for field in STAFF_ONLY:
        value = getattr(asset, field)
        assert value not in public, field
    staff = asset_to_service(asset, include_staff=True)
    [contact] = [c for c in staff["contacts"] if c.get("name")]
    assert (contact["name"], contact["title"], contact["email"]) == ("Sam Jones", "Walk leader", "sam@example.org")  # fmt: skip
    assert contact["phones"][0]["number"] == "07700 900123"
    assert "Ask for Sam" in json.dumps(staff)


def test_a_service_round_trips_to_the_same_asset():
    asset = full_asset()
    back, problems = service_to_asset(asset_to_service(asset, include_staff=True))
    assert problems == [] and back == asset
    public, problems = service_to_asset(asset_to_service(asset))
    assert problems == []
    assert public.contact_name == "" and public.staff_notes == ""
    assert public.phone == "01782 123456"  # the public phone stays public
    assert (public.referral_route, public.welcomes_mentor) == ("phone", "yes")


def test_a_publishers_service_keeps_what_assetmap_has_no_field_for():
    service = json.loads(EXAMPLE.read_text())
    loc = service["service_at_locations"][0]["location"]
    loc["latitude"] = loc["longitude"] = None  # the example's 100, 101 are not on Earth
    loc["addresses"][0]["postal_code"] = "M1 1AD"
    service["attributes"][0]["taxonomy_term"]["name"] = "Counselling"
    service["contacts"][0]["phones"] = [{"id": "p", "number": '"0161 234 5678"'}]
    service["languages"] = [{"id": "l1", "name": "English"}, {"id": "l2", "name": "Polish"}]
    service["eligibility_description"] = "Adults living in Manchester"
    service["application_process"] = "Call to book"
    asset, problems = service_to_asset(service, terms={"counselling": "peer support"})
    assert problems == []
    assert asset.category == "peer support" and "counselling" in asset.tags
    # A contact's number is the service's public phone, unquoted; its name is in the notes.
    assert asset.phone == "0161 234 5678" and asset.contact_phone == ""
    assert "Contact: Ann Persona, Reception Manager" in asset.notes
    assert "Cost: £35.00 per 1 hour session (Under 18s and Over 60s)" in asset.notes
    assert "Languages: English, Polish" in asset.notes
    assert "Eligibility: Adults living in Manchester" in asset.notes
    assert "How to apply: Call to book" in asset.notes
    assert asset.cost == "paid" and asset.accessibility.startswith("The building is equipped")
    assert asset.schedule == "Thu,Fri 10:00-18:00" and (asset.min_age, asset.max_age) == (12, 100)


def test_a_service_no_term_maps_takes_the_default_category_or_says_how():
    service = json.loads(EXAMPLE.read_text())
    service["service_at_locations"] = []
    service["service_at_locations"] = [{"id": "s", "location": {"id": "l", "latitude": 53.48, "longitude": -2.24}}]  # fmt: skip
    asset, problems = service_to_asset(service)
    assert asset is None
    [problem] = problems
    assert problem.column == "category" and "import --category" in problem.message
    asset, problems = service_to_asset(service, default_category="peer support")
    assert problems == [] and asset.category == "peer support"


@pytest.mark.parametrize("amount", ["£5", "5 pounds", "free", True, -3, "NaN", [5]])
def test_a_cost_that_is_not_a_number_is_a_problem_not_a_crash(amount):
    service = json.loads(EXAMPLE.read_text())
    service["cost_options"][0]["amount"] = amount
    asset, problems = service_to_asset(service, default_category="peer support")
    assert asset is None
    assert any(p.column == "cost" and "is not" in p.message for p in problems), problems


def test_a_service_whose_costs_are_all_nothing_is_free():
    service = json.loads(EXAMPLE.read_text())
    service["cost_options"] = [{"id": "c", "amount": "0.00", "currency": "GBP"}, {"id": "d", "amount": 0}]  # fmt: skip
    fields, problems = service_fields(service, categories={})
    assert fields["cost"] == "free" and "Cost:" not in fields["notes"]


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)
_keys = st.sampled_from(["id", "name", "status", "minimum_age", "maximum_age", "attributes",
                         "service_at_locations", "cost_options", "schedules", "contacts",
                         "phones", "languages", "organization", "url", "email", "assured_date"])  # fmt: skip


@settings(max_examples=examples(300), deadline=None)
@given(st.dictionaries(_keys, _json, max_size=8) | _json)
def test_any_json_is_read_without_a_traceback(service):
    asset, problems = service_to_asset(service, default_category="library")
    assert (asset is None) == bool(problems)


@given(kind=st.sampled_from(["service", "attribute", "term", "x"]), key=st.text())
def test_every_id_is_the_uuid5_of_its_kind_and_key(kind, key):
    """uid builds the UUID's text itself (fast); it is uuid5's, so ids written before stay."""
    assert uid(kind, key) == str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))
