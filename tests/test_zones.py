"""Exclusion zones land where meant, and say where: `near --avoid` / `--avoid-zone`.

Postcodes and coordinates below are real: ONS/OS live postcodes as bundled in the gazetteer.
"""

import json

import pytest
from geopy.distance import geodesic

FROM = "M32 0TJ"  # Stretford, Trafford
M16_CENTRE = (53.45517, -2.26466)  # the bundled district centre (mean of its live postcodes)

# id -> (postcode, lat, lon): postcode-only assets are placed by the gazetteer.
ASSETS = {
    "food-m16-7aa": ("M16 7AA", "", ""),
    "food-m16-0aa": ("M16 0AA", "", ""),
    "food-m1-3ab": ("M1 3AB", "", ""),
    "food-m1-6aa": ("M1 6AA", "", ""),
    "food-m1-6bb": ("M1 6BB", "", ""),
}


def add(cli, db, asset_id, postcode="", lat="", lon=""):
    args = ["--db", str(db), "add", "--id", asset_id, "--name", asset_id, "--category", "foodbank"]
    if postcode:
        args += ["--postcode", postcode]
    if lat:
        args += ["--lat", lat, "--lon", lon]
    cli(*args)


@pytest.fixture
def db(cli, db_file):
    for asset_id, (pc, lat, lon) in ASSETS.items():
        add(cli, db_file, asset_id, pc, lat, lon)
    return db_file


def near(cli, db, *args, code=0):
    result = cli("--db", str(db), "near", FROM, "--goal", "food", "--within", "10km",
                 "--format", "json", "--limit", "50", *args, code=code)  # fmt: skip
    ids = {r["id"] for r in json.loads(result.stdout)} if code == 0 else set()
    return ids, result.stderr


def test_avoiding_a_district_leaves_out_its_postcodes_and_keeps_sectors_that_read_like_it(cli, db):
    everything, _ = near(cli, db)
    assert everything == set(ASSETS)
    kept, stderr = near(cli, db, "--avoid", "M16", "--show-excluded")
    assert kept == {"food-m1-3ab", "food-m1-6aa", "food-m1-6bb"}
    assert "inside avoided zone M16" in stderr and "food-m16-7aa" in stderr
    # Where the zone landed: label, council, centre, radius and what it covers.
    assert (
        "avoiding 'M16': district M16, Trafford: centre 53.45517,-2.26466, radius 2.2 km" in stderr
    )
    assert "covers assets whose postcode is in M16" in stderr
    assert "for sector M1 6 write 'M1 6'" in stderr


def test_a_sector_zone_covers_that_sector_only(cli, db):
    kept, stderr = near(cli, db, "--avoid", "M1 6")
    assert kept == {"food-m16-7aa", "food-m16-0aa", "food-m1-3ab"}
    assert "avoiding 'M1 6': sector M1 6, Manchester" in stderr


def test_coordinates_only_assets_are_inside_within_the_district_full_extent(cli, db):
    # 1.8 km north of M16's centre: outside its 90th-percentile circle (1.38 km), inside its
    # full extent (2.2 km, the farthest live M16 postcode). 2.6 km east: outside both.
    inside = geodesic(kilometers=1.8).destination(M16_CENTRE, 0)
    outside = geodesic(kilometers=2.6).destination(M16_CENTRE, 90)
    add(cli, db, "coords-inside", lat=f"{inside.latitude:.6f}", lon=f"{inside.longitude:.6f}")
    add(cli, db, "coords-outside", lat=f"{outside.latitude:.6f}", lon=f"{outside.longitude:.6f}")
    kept, _ = near(cli, db, "--avoid", "M16")
    assert "coords-outside" in kept and "coords-inside" not in kept


def test_the_zone_report_shows_when_nothing_is_excluded_and_through_quiet_unless_exact(cli, db):
    kept, stderr = near(cli, db, "--avoid", "ST4")
    assert kept == set(ASSETS)  # nothing excluded, and still said
    assert "avoiding 'ST4': district ST4, Stoke-on-Trent" in stderr
    assert "is this the place you meant?" in stderr  # 52 km away, searching within 10 km
    quiet = cli("-q", "--db", str(db), "near", FROM, "--avoid", "M16", "--format", "json")
    assert "avoiding 'M16'" in quiet.stderr
    exact = cli("-q", "--db", str(db), "near", FROM, "--avoid", "M16 0AA@1km", "--format", "json")
    assert exact.stderr == ""
    loud = cli("--db", str(db), "near", FROM, "--avoid", "M16 0AA@1km", "--format", "json")
    assert "avoiding 'M16 0AA@1km': postcode M16 0AA, Trafford" in loud.stderr
    assert "radius 1 km (as given)" in loud.stderr


def test_an_ambiguous_zone_is_refused_with_its_choices(cli, db):
    _, stderr = near(cli, db, "--avoid", "Newport", code=1)
    assert "more than one place" in stderr and "'Newport, Isle of Wight'" in stderr
    assert "Traceback" not in stderr
    # A bare name that a search may read as its largest place is still refused as a zone.
    _, stderr = near(cli, db, "--avoid", "Aston", code=1)
    assert "never guessed" in stderr and "'Aston, West Oxfordshire'" in stderr
    kept, _ = near(cli, db, "--avoid", "Aston, Birmingham")
    assert kept == set(ASSETS)


def test_avoid_zone_file_reports_its_polygons_and_bounding_box(cli, db, tmp_path):
    square = [[-2.28, 53.44], [-2.25, 53.44], [-2.25, 53.47], [-2.28, 53.47], [-2.28, 53.44]]
    far = [[-2.0, 53.0], [-1.9, 53.0], [-1.9, 53.1], [-2.0, 53.0]]
    zone = tmp_path / "zone.geojson"
    zone.write_text(json.dumps({"type": "MultiPolygon", "coordinates": [[square], [far]]}))
    kept, stderr = near(cli, db, "--avoid-zone", str(zone))
    assert "avoiding zone file zone.geojson: 2 polygons, bounding box 53.00000,-2.28000 to 53.47000,-1.90000" in stderr  # fmt: skip
    assert {"food-m16-7aa", "food-m16-0aa"}.isdisjoint(kept)


def test_avoiding_a_council_covers_the_whole_council_not_a_circle_round_its_centre(cli, db_file):
    # Bude is in Cornwall, 59 km from the council's centre: beyond its 90th-percentile circle
    # (58.8 km). Holsworthy, 8 km east of Bude, is in Torridge, Devon. Councils are the
    # gazetteer's (ONS postcode directory).
    add(cli, db_file, "food-bude", "EX23 9LG")
    add(cli, db_file, "food-holsworthy", "EX22 6HA")
    result = cli("--db", str(db_file), "near", "EX23 9LG", "--goal", "food", "--within", "15km",
                 "--format", "json", "--avoid", "Cornwall", "--show-excluded")  # fmt: skip
    assert {r["id"] for r in json.loads(result.stdout)} == {"food-holsworthy"}
    assert "inside avoided zone Cornwall" in result.stderr
    assert "covers assets in Cornwall" in result.stderr
    # The search is inside the council it avoids: not a far-off place typed by mistake.
    assert "is this the place you meant" not in result.stderr


def test_a_council_that_shares_its_name_with_a_locality_is_avoided_whole(cli, db_file):
    # GeoNames has a locality called 'Cheshire West and Chester' (a 2.5 km circle); a licence
    # condition naming it means the council. Blacon (CH1 5QY) is in the council, 3.5 km from
    # that point; Broughton (CH4 0QQ) is over the border in Flintshire.
    add(cli, db_file, "food-blacon", "CH1 5QY")
    add(cli, db_file, "food-broughton", "CH4 0QQ")
    result = cli("--db", str(db_file), "near", "CH1 2AR", "--goal", "food", "--within", "15km",
                 "--format", "json", "--avoid", "Cheshire West and Chester")  # fmt: skip
    assert {r["id"] for r in json.loads(result.stdout)} == {"food-broughton"}
    assert "covers assets in Cheshire West and Chester" in result.stderr
    assert "is a place and a council: the zone covers the whole council" in result.stderr


def test_a_zone_file_written_lat_first_is_refused_not_ignored(cli, db, tmp_path):
    # [lat, lon] written where GeoJSON wants [lon, lat]: the square lands in the Indian Ocean
    # and excluded nothing, with a warning and exit 0, so a search showed places inside a
    # licence exclusion zone (newcomer2). Read the other way round it lies in Great Britain:
    # refused, exit 1, naming the fix; nothing is searched.
    swapped = [[53.44, -2.28], [53.44, -2.25], [53.47, -2.25], [53.47, -2.28], [53.44, -2.28]]
    zone = tmp_path / "swapped.geojson"
    zone.write_text(json.dumps({"type": "Polygon", "coordinates": [swapped]}))
    result = cli("--db", str(db), "near", "M32 0TJ", "--avoid-zone", str(zone), "--quiet", code=1)
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert "swapped.geojson" in line and "[longitude, latitude]" in line and "swap" in line, line
    # A zone file far away that is not a swapped one (in Great Britain) is flagged, not refused.
    far = [[-1.56, 52.40], [-1.50, 52.40], [-1.50, 52.43], [-1.56, 52.43], [-1.56, 52.40]]
    zone.write_text(json.dumps({"type": "Polygon", "coordinates": [far]}))
    _, stderr = near(cli, db, "--avoid-zone", str(zone), "--quiet")
    assert "warning: --avoid-zone swapped.geojson is" in stderr
    assert "is this the place you meant?" in stderr
    # A zone file near the search says nothing of the kind.
    near_square = [[-2.28, 53.44], [-2.25, 53.44], [-2.25, 53.47], [-2.28, 53.47], [-2.28, 53.44]]
    zone.write_text(json.dumps({"type": "Polygon", "coordinates": [near_square]}))
    _, stderr = near(cli, db, "--avoid-zone", str(zone))
    assert "is this the place you meant" not in stderr


def test_avoiding_bristol_means_the_city_of_bristol_council(cli, db_file):
    # The council is 'Bristol, City of' in the ONS names; Avonmouth (BS11 9EN) is in it, 8.6 km
    # from the GeoNames point of Bristol (a 7.1 km circle). Portishead (BS20 7HD) is in North
    # Somerset. 'London' must not become the City of London council.
    add(cli, db_file, "food-avonmouth", "BS11 9EN")
    add(cli, db_file, "food-portishead", "BS20 7HD")
    result = cli("--db", str(db_file), "near", "BS11 9EN", "--goal", "food", "--within", "15km",
                 "--format", "json", "--avoid", "Bristol")  # fmt: skip
    assert {r["id"] for r in json.loads(result.stdout)} == {"food-portishead"}
    assert "council Bristol, City of" in result.stderr
    result = cli("--db", str(db_file), "near", "EC1A 1BB", "--goal", "food",
                 "--format", "json", "--avoid", "London")  # fmt: skip
    assert "council City of London" not in result.stderr


def test_plan_refuses_a_place_inside_an_avoided_zone(cli, tmp_path):
    # A plan is made from ids the practitioner copies: one from a search without --avoid, or
    # typed by hand, must not put a place the licence forbids on the person's page.
    db = tmp_path / "c.db"
    cli("--db", str(db), "init", "--empty")
    for asset_id in ("food-m16-7aa", "food-m1-3ab"):
        add(cli, db, asset_id, ASSETS[asset_id][0])
    refused = cli("--db", str(db), "plan", "food-m1-3ab", "food-m16-7aa", "--from", FROM,
                  "--avoid", "M16", "--format", "md", code=1)  # fmt: skip
    assert refused.stdout == ""
    assert "food-m16-7aa" in refused.stderr and "inside avoided zone M16" in refused.stderr
    assert "Traceback" not in refused.stderr

    kept = cli("--db", str(db), "plan", "food-m1-3ab", "--from", FROM, "--avoid", "M16",
               "--format", "md")  # fmt: skip
    assert "food-m1-3ab" in kept.stdout or "food-m1-3ab" in kept.stdout.lower()
    assert "M16" in kept.stderr  # where the zone landed, as near says


def test_plan_refuses_a_place_it_cannot_check_against_an_avoided_zone(cli, tmp_path):
    db = tmp_path / "c.db"
    cli("--db", str(db), "init", "--empty")
    # A phone-only service (open data can hold one); `add` always places an asset.
    from assetmap.catalogue.models import Asset
    from assetmap.catalogue.opening import open_catalogue

    cat = open_catalogue(db, seed=False)
    cat.write([Asset(id="nowhere", name="Nowhere", category="foodbank", phone="0800 000")])
    cat.close()
    refused = cli("--db", str(db), "plan", "nowhere", "--from", FROM, "--avoid", "M16", code=1)
    assert "nowhere" in refused.stderr and "no position" in refused.stderr
    assert refused.stdout == "" and "Traceback" not in refused.stderr
    # Without a zone the plan lists it (as before), undrawn.
    assert (
        "Nowhere"
        in cli("--db", str(db), "plan", "nowhere", "--from", FROM, "--format", "md").stdout
    )


def test_a_zone_named_by_a_neighbourhood_covers_its_whole_area_and_says_so(cli, db):
    kept, stderr = near(cli, db, "--avoid", "Moss Side, Manchester")
    # M16 7AA is in Moss Side; Old Trafford (M16 0AA) and the city centre (M1) are not.
    assert kept == {"food-m16-0aa", "food-m1-3ab", "food-m1-6aa", "food-m1-6bb"}
    # The whole report, unclipped: the ward and census areas it was built from are about 1.6 km
    # across from its centre.
    assert (
        "avoiding 'Moss Side, Manchester': place Moss Side, Manchester: centre 53.45419,-2.23855, "
        "radius 1.59 km (the place's extent); covers assets within 1.59 km of the centre"
    ) in stderr
    # The bare name is several places: a licence condition is never guessed.
    _, refused = near(cli, db, "--avoid", "Moss Side", code=1)
    assert "'Moss Side, Manchester'" in refused and "more than one place" in refused


def test_a_zone_round_a_town_says_its_radius_is_estimated_not_its_extent(cli, db):
    # GeoNames lists Hulme as a town of 8,932: its 1 km is a guess from that figure, smaller
    # than the Hulme ward (1.55 km from its point), so the report must not call it the extent.
    _, stderr = near(cli, db, "--avoid", "Hulme, Manchester")
    assert (
        "place Hulme, Manchester: centre 53.46572,-2.24885, radius 1 km (estimated from its "
        "population; give a postcode, or 'Hulme, Manchester@RADIUS', to set it)"
    ) in stderr
    # A neighbourhood from a ward or census area covers its whole area, and says so.
    _, stderr = near(cli, db, "--avoid", "Moss Side, Manchester")
    assert "radius 1.59 km (the place's extent)" in stderr
