"""Bad input, tried systematically: whatever arrives, a clear error or success, never a
traceback and never a partial write."""

import contextlib
import json
import sqlite3

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_budget import examples

from assetmap.errors import AssetmapError
from assetmap.places.gazetteer import open_gazetteer
from assetmap.places.resolve import resolve
from assetmap.places.zones import parse_distance, split_zone

SETTINGS = settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

cells = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["gym", "M1 1AD", "53.4", "-2.2", "free", "=1+1", "'", '"', "\r\n", ";", ""]),
    st.text(alphabet="\x00\ufeff\u202e\U0001f600é£", max_size=5),
    st.just("x" * 100_000),
)


def count(db) -> int:
    return sqlite3.connect(db).execute("SELECT count(*) FROM assets").fetchone()[0]


@SETTINGS
@given(data=st.binary(max_size=2000))
def test_random_bytes_never_crash_or_half_write(cli, db_file, data):
    before = count(db_file)
    result = cli("--db", str(db_file), "import", "-", input=data, code=None)
    assert result.exit_code in (0, 1, 3), result.stderr
    assert "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    if result.exit_code == 1:
        assert count(db_file) == before


@SETTINGS
@given(
    header=st.lists(st.sampled_from(["name", "category", "postcode", "lat", "lon", "tags", "cost", "schedule", "Mystery"]), min_size=1, max_size=6),
    rows=st.lists(st.lists(cells, max_size=8), max_size=6),
    delimiter=st.sampled_from([",", ";"]),
)  # fmt: skip
def test_random_csv_never_crashes_and_is_all_or_nothing(cli, db_file, header, rows, delimiter):
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    before = count(db_file)
    result = cli("--db", str(db_file), "import", "-", input=buf.getvalue().encode("utf-8", "surrogatepass"), code=None)  # fmt: skip
    assert result.exit_code in (0, 1), (result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr
    if result.exit_code == 1:
        assert count(db_file) == before
        assert result.stderr.startswith("Error: ")


@settings(max_examples=examples(300), deadline=None)
@given(text=st.one_of(st.text(max_size=40), st.from_regex(r"[A-Za-z]{1,2}[0-9]{1,2} ?[0-9]?[A-Z]{0,3}", fullmatch=True)))  # fmt: skip
def test_place_parsing_only_ever_raises_our_error(shared_cache, text):
    import os

    os.environ["ASSETMAP_CACHE_DIR"] = str(shared_cache)
    try:
        place = resolve(text, open_gazetteer())
    except AssetmapError:
        return
    assert -90 <= place.lat <= 90 and -180 <= place.lon <= 180
    assert place.precision in ("coordinates", "postcode", "sector", "district", "place", "council")


@settings(max_examples=examples(200), deadline=None)
@given(text=st.text(max_size=20))
def test_zone_and_distance_parsing_only_ever_raise_our_error(text):
    for fn in (parse_distance, split_zone):
        with contextlib.suppress(AssetmapError):
            fn(text)


@SETTINGS
@given(args=st.lists(st.sampled_from(["--within", "--day", "--at", "--after", "--age", "--gender", "--referral", "--capital", "--sort", "--avoid", "--limit"]), max_size=3), values=st.lists(st.text(max_size=12), min_size=3, max_size=3))  # fmt: skip
def test_near_options_never_crash(cli, db_file, args, values):
    argv = []
    for option, value in zip(args, values, strict=False):
        argv += [option, value]
    result = cli("--db", str(db_file), "near", "M1 1AD", *argv, "--format", "json", code=None)
    assert result.exit_code in (0, 1, 2), result.stderr
    assert "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )


GEO_KEYS = ["type", "features", "geometry", "geometries", "coordinates", "properties"]
GEO_TYPES = ["FeatureCollection", "Feature", "GeometryCollection", "Polygon", "MultiPolygon",
             "Point", "LineString", "Nonsense", 5, None]  # fmt: skip
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.sampled_from(GEO_KEYS), inner, max_size=4),
    max_leaves=40,
)  # fmt: skip
positions = st.lists(st.one_of(st.floats(-200, 200), st.integers(-10**30, 10**30), st.text(max_size=2)), min_size=0, max_size=3)  # fmt: skip
rings = st.lists(positions, max_size=6)
shaped = st.fixed_dictionaries(
    {"type": st.sampled_from(GEO_TYPES)},
    optional={
        "coordinates": st.one_of(json_values, st.lists(rings, max_size=3), st.lists(st.lists(rings, max_size=2), max_size=2)),
        "features": st.one_of(json_values, st.lists(st.fixed_dictionaries({"type": st.just("Feature"), "geometry": json_values}), max_size=3)),
        "geometry": json_values,
        "geometries": json_values,
    },
)  # fmt: skip
zone_files = st.one_of(
    json_values.map(json.dumps),
    shaped.map(json.dumps),
    st.integers(1, 50_000).map(lambda n: "[" * n + "]" * n),
    st.integers(1, 5_000).map(lambda n: '{"type":"GeometryCollection","geometries":[' * n + "]}" * n),
    st.text(max_size=50),
    st.just('{"type":"Polygon","coordinates":[[[1,2],[3,4],[5,Infinity]]]}'),
)  # fmt: skip


@SETTINGS
@given(
    zone=zone_files,
    args=st.lists(st.sampled_from(["--within", "--day", "--at", "--age", "--avoid", "--limit", "--sort"]), max_size=2),
    values=st.lists(st.text(max_size=8), min_size=2, max_size=2),
)  # fmt: skip
def test_near_with_any_zone_file_and_options_never_crashes(cli, db_file, tmp_path_factory, zone, args, values):  # fmt: skip
    path = tmp_path_factory.mktemp("zone") / "zone.geojson"
    path.write_text(zone, encoding="utf-8", errors="surrogatepass")
    argv = []
    for option, value in zip(args, values, strict=False):
        argv += [option, value]
    result = cli("--db", str(db_file), "near", "M1 1AD", "--avoid-zone", str(path), *argv, "--format", "json", code=None)  # fmt: skip
    assert result.exit_code in (0, 1, 2), result.stderr
    assert "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    if result.exit_code == 1:
        lines = result.stderr.strip().split("\n")  # not splitlines(): a value may hold U+0085
        assert lines[-1].startswith("Error: ")
        assert max(len(line) for line in lines) < 2500
