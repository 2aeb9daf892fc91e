"""Conformance, by a tool nobody here wrote: schemathesis runs against the official Open Referral
UK OpenAPI document (tests/data/openreferral_uk_openapi, copied unchanged from
OpenReferralUK/uk-profile) and `assetmap serve` on 127.0.0.1, and must find nothing.

The document names its response schemas by their raw.githubusercontent.com addresses; those are
pointed at the copies beside it, so the run is offline. One mistake in the document is mended,
in memory: `start_time` and `end_time` have `"type": "time"`, which is no JSON Schema type
(schemathesis refuses the whole operation); they become `"type": "string", "format": "time"`, as
meant.

Every check runs except two, for reasons in the document rather than the server:
- status_code_conformance: the document lists only 200 for each operation, so the 400 a bad
  parameter gets and the 404 of an unknown id (which this API gives, as it must) are
  "undocumented";
- positive_data_acceptance: it types page and per_page as any integer and postcode and
  proximity as any string, so a 400 for `per_page=0` or `postcode=xyz` counts as "a valid
  request rejected". tests/test_serve.py checks those 400s, one by one.
negative_data_rejection does run: a request the document says is invalid (page=abc) must be
refused with a 4xx.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from serving import Server, assetmap, env, team_catalogue

# Every test here runs the real `assetmap serve` (or datasette, or schemathesis) in a process.
pytestmark = pytest.mark.slow

OPENAPI = Path(__file__).parent / "data" / "openreferral_uk_openapi"
PUBLISHED_AT = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
EXCLUDED = ("status_code_conformance", "positive_data_acceptance")


def bundled_openapi() -> dict:
    """The official document with its remote response schemas inlined from the local copies."""
    doc = json.loads((OPENAPI / "openapi.json").read_text(encoding="utf-8"))
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})

    def inline(node, base: str):
        if isinstance(node, list):
            return [inline(item, base) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            if ref.startswith(PUBLISHED_AT):
                rel = ref[len(PUBLISHED_AT) :]
            else:  # relative to the schema that names it (taxonomy.json -> taxonomy_term.json)
                rel = str(Path(base).parent / ref).removeprefix("./")
            key = rel.removesuffix(".json").replace("/", "_")
            if key not in schemas:
                schemas[key] = {}
                schemas[key] = inline(json.loads((OPENAPI / rel).read_text(encoding="utf-8")), rel)
            node = {**node, "$ref": f"#/components/schemas/{key}"}
        if node.get("type") == "time":  # the one mistake mended (see above)
            node = {**node, "type": "string", "format": "time"}
        return {k: inline(v, base) for k, v in node.items()}

    doc["paths"] = inline(doc["paths"], "")
    doc["components"]["parameters"] = inline(doc["components"].get("parameters", {}), "")
    return doc


def test_the_bundled_document_refers_to_nothing_online():
    text = json.dumps(bundled_openapi())
    assert "raw.githubusercontent.com/openreferral/uk-profile/main/schema" not in text
    assert '"type": "time"' not in text
    assert set(bundled_openapi()["components"]["schemas"]) >= {
        "compiled_service", "compiled_service_list", "compiled_service_at_location_list",
        "taxonomy", "taxonomy_term",
    }  # fmt: skip


@pytest.fixture(scope="module")
def server(tmp_path_factory, shared_cache):
    folder = tmp_path_factory.mktemp("conformance")
    environ = env(folder / "home", shared_cache)
    db = team_catalogue(folder, environ)
    assetmap("--db", str(db), "publish", str(folder / "published"), environ=environ)
    served = Server("serve", str(folder / "published"), environ=environ)
    try:
        yield served
    finally:
        served.stop()


def real_ids(server) -> dict[str, str]:
    """One id of each kind the API serves, so the by-id operations are tried on real records
    as well as on generated ids (which are 404s)."""
    ids = {}
    for path, listing in (
        ("/services/{id}", "/services"), ("/service_at_locations/{id}", "/service_at_locations"),
        ("/taxonomies/{id}", "/taxonomies"), ("/taxonomy_terms/{id}", "/taxonomy_terms"),
    ):  # fmt: skip
        status, _, page = server.get(listing)
        assert status == 200 and page["contents"], listing
        ids[path] = page["contents"][0]["id"]
    return ids


def test_schemathesis_finds_nothing_against_the_official_openapi(server, tmp_path):
    schema = tmp_path / "openapi.json"
    schema.write_text(json.dumps(bundled_openapi()), encoding="utf-8")
    config = "".join(
        f'[[operations]]\ninclude-path = "{path}"\nparameters = {{ id = "{value}" }}\n\n'
        for path, value in real_ids(server).items()
    )
    (tmp_path / "schemathesis.toml").write_text(config, encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable, "-m", "schemathesis.cli", "run", str(schema), "--url", server.url,
            "--checks", "all", "--exclude-checks", ",".join(EXCLUDED),
            "--max-examples", "25", "--seed", "20261206", "--workers", "1",
            "--request-timeout", "60", "--no-color",
        ],
        capture_output=True, text=True, cwd=tmp_path, timeout=400,
    )  # fmt: skip
    out = done.stdout + done.stderr
    assert done.returncode == 0, out[-6000:]
    assert "Selected: 9/9" in out and "Tested: 9" in out, out[-3000:]
    assert "Errored" not in out and "Missing test data" not in out, out[-3000:]
    assert re.search(r"\b(\d+) generated, \1 passed", out), out[-3000:]


def test_every_record_served_is_valid_against_the_official_schemas(server):
    """Each service, location, taxonomy and term of the catalogue, and each page, checked with
    jsonschema against the document's own response schemas (formats too)."""
    import jsonschema

    doc = bundled_openapi()
    registry_root = {"components": doc["components"]}

    def validate(instance, schema):
        root = {**registry_root, **schema}
        jsonschema.Draft202012Validator(
            root, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        ).validate(instance)

    def response_schema(path):
        return doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"][
            "schema"
        ]

    for listing, single in (
        ("/services", "/services/{id}"), ("/service_at_locations", "/service_at_locations/{id}"),
        ("/taxonomies", "/taxonomies/{id}"), ("/taxonomy_terms", "/taxonomy_terms/{id}"),
    ):  # fmt: skip
        status, _, page = server.get(f"{listing}?per_page=1000")
        assert status == 200
        validate(page, response_schema(listing))
        assert page["total_items"] == len(page["contents"]) > 0
        for item in page["contents"]:
            status, _, record = server.get(single.replace("{id}", item["id"]))
            assert status == 200, (single, item["id"])
            validate(record, response_schema(single))
