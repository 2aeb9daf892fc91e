"""The offline gazetteer: each place form, honest precision, clear errors, exact postcodes."""

import csv
import json
import math
import os
import time
from pathlib import Path

import pytest

from assetmap.errors import PlaceError
from assetmap.places.gazetteer import open_gazetteer
from assetmap.places.resolve import resolve

SAMPLE = Path(__file__).parent / "data" / "postcode_sample.csv"


@pytest.fixture(scope="module")
def gaz(shared_cache):
    import os

    os.environ["ASSETMAP_CACHE_DIR"] = str(shared_cache)
    return open_gazetteer()


@pytest.mark.parametrize(
    ("query", "precision", "area"),
    [
        ("ST4 7QB", "postcode", "Stoke-on-Trent"),
        ("st47qb", "postcode", "Stoke-on-Trent"),
        ("ST4  7QB", "postcode", "Stoke-on-Trent"),
        ("ST4 7", "sector", "Stoke-on-Trent"),
        ("ST4", "district", "Stoke-on-Trent"),
        ("Hanley, Stoke-on-Trent", "place", "Stoke-on-Trent"),
        ("Stockport", "place", "Stockport"),
        ("Trafford", "council", "Trafford"),
        ("53.41,-2.16", "coordinates", "Stockport"),
        ("Newport, Wales", "place", "Newport"),
        ("Aston, Birmingham", "place", "Birmingham"),
    ],
)
def test_each_place_form_resolves_with_its_precision(gaz, query, precision, area):
    place = resolve(query, gaz)
    assert place.precision == precision
    assert place.area == area
    assert place.radius_km >= 0
    assert place.source


def test_radius_grows_as_precision_coarsens(gaz):
    radii = [resolve(q, gaz).radius_km for q in ("ST4 7QB", "ST4 7", "ST4", "Trafford")]
    assert radii == sorted(radii) and radii[0] < 0.5 < radii[-1]


def test_full_postcodes_match_the_source_data(gaz):
    with SAMPLE.open() as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    assert len(rows) == 300
    for row in rows:
        place = resolve(row["postcode"].replace(" ", "").lower(), gaz)
        assert place.precision == "postcode", row
        assert math.isclose(place.lat, float(row["lat"]), abs_tol=1e-5), row
        assert math.isclose(place.lon, float(row["lon"]), abs_tol=1e-5), row


def test_unknown_full_postcode_falls_back_to_sector_with_a_warning(gaz):
    place = resolve("ST4 7ZZ", gaz)
    assert place.precision == "sector" and place.label == "ST4 7"
    assert "not a live postcode" in place.warnings[0]


def test_northern_ireland_postcodes_use_the_geonames_outcode(gaz):
    place = resolve("BT1 1AA", gaz)
    assert place.precision == "district"
    assert "Northern Ireland" in place.warnings[0]
    assert 54 < place.lat < 55.5


def _wrong(gaz, queries: dict[str, str], precision: str) -> list[str]:
    """The queries that do not resolve to their expected label at `precision`."""
    wrong = []
    for query, expected in queries.items():
        place = resolve(query, gaz)
        if (place.label, place.precision) != (expected, precision):
            wrong.append(f"{query!r} -> {place.label} ({place.precision})")
    return wrong


def test_every_district_resolves_to_itself_bare_and_in_lower_case(gaz):
    # The whole bundled gazetteer: ONS districts and the GeoNames BT/IM/JE/GY outcodes.
    outcodes = [r[0] for r in gaz.conn.execute("SELECT outcode FROM districts")]
    assert len(outcodes) > 2800
    queries = {code: code for code in outcodes} | {code.lower(): code for code in outcodes}
    assert _wrong(gaz, queries, "district") == []


def test_every_sector_resolves_to_itself_with_its_space_and_without_where_unique(gaz):
    sectors = [r[0] for r in gaz.conn.execute("SELECT sector FROM sectors")]
    districts = {r[0] for r in gaz.conn.execute("SELECT outcode FROM districts")}
    assert len(sectors) > 10000
    assert _wrong(gaz, {s: s for s in sectors} | {s.lower(): s for s in sectors}, "sector") == []
    # 'M139' reads one way (M13 9); 'M13' reads two ways, and the district wins (below).
    unique = {s.replace(" ", ""): s for s in sectors if s.replace(" ", "") not in districts}
    assert len(unique) > 8000
    assert _wrong(gaz, unique, "sector") == []


@pytest.mark.parametrize(
    ("query", "district", "other_reading"),
    [
        ("M13", "M13", "M1 3"), ("m16", "M16", "M1 6"), ("M32", "M32", "M3 2"),
        ("W13", "W13", None), ("B23", "B23", None), ("CF10", "CF10", None),
        ("SW1A", "SW1A", None), ("ec1a", "EC1A", None), ("B1", "B1", None),
    ],
)  # fmt: skip
def test_a_two_digit_district_is_the_district_and_says_when_it_reads_two_ways(
    gaz, query, district, other_reading
):
    place = resolve(query, gaz)
    assert (place.label, place.precision) == (district, "district")
    if other_reading:
        assert any(
            f"for sector {other_reading} write '{other_reading}'" in w for w in place.warnings
        )
    else:
        assert not place.warnings


def test_northern_ireland_outcodes_keep_their_geonames_points(gaz):
    assert resolve("BT11", gaz).label == "BT11"
    place = resolve("BT1 1", gaz)  # no open sector data: the district, with a warning
    assert place.label == "BT1" and "no sector BT1 1" in place.warnings[0]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("ST4 7Q", "not a valid postcode"),
        ("12345", "not a valid postcode"),
        ("", "no place given"),
        ("   ", "no place given"),
        ("Stokport", "Did you mean 'Stockport'"),
        ("Newport", "more than one place"),
        ("ZZ9 9ZZ", "no postcode district ZZ9"),
        ("95,0", "outside the range"),
    ],
)
def test_bad_places_give_clear_errors(gaz, query, message):
    with pytest.raises(PlaceError, match=message):
        resolve(query, gaz)


# Truth: each neighbourhood's centre as a page about it gives it (Wikipedia or a copy of an
# article; Brixton from the Association of British Counties gazetteer), read on 2026-12-01,
# never from the gazetteer under test. Where a page gave only an OS grid reference, it was
# converted to WGS84 (OSGB36 transverse Mercator and Helmert shift; the same conversion gives
# Splott's page coordinates from its grid reference, ST200767, to 5 decimal places).
NEIGHBOURHOODS = {
    "Splott, Cardiff": (51.48357, -3.15349),  # https://cy.m.wikipedia.org/wiki/Sblot
    "Shelton, Stoke-on-Trent": (53.0121, -2.1758),  # https://wikimili.com/en/Shelton,_Staffordshire
    "Moss Side, Manchester": (53.456, -2.24),  # http://www.thefullwiki.org/Moss_Side
    "Longsight, Manchester": (53.45611, -2.2),  # https://wikishire.co.uk/wiki/Longsight
    "Ardwick, Manchester": (53.47222, -2.21611),  # https://mediated.wiki/source/Ardwick.md
    "Newton Heath, Manchester": (53.4999, -2.1833),  # https://en.nearbywiki.org/detail/548699
    "Whalley Range, Manchester": (
        53.45,
        -2.253,
    ),  # http://piglix.com/piglix/Whalley_Range,_Manchester
    "Easton, Bristol": (
        51.45909,
        -2.56993,
    ),  # https://en.wikipedia.org/wiki/Easton,_Bristol (OS grid ST605735)
    "Clifton, Bristol": (
        51.46064,
        -2.61889,
    ),  # https://en.wikipedia.org/wiki/Clifton,_Bristol (OS grid ST571737)
    "Aston, Birmingham": (52.5, -1.88),  # https://wikimili.com/en/Aston
    "Hanley, Stoke-on-Trent": (
        53.0246,
        -2.1729,
    ),  # https://en.wikipedia.org/wiki/Hanley,_Staffordshire
    "Armley, Leeds": (53.7981, -1.5872),  # https://en.wikipedia.org/wiki/Armley
    "Roath, Cardiff": (
        51.491,
        -3.167,
    ),  # https://www.search.com.vn/wiki/en/Plasnewydd (the Plasnewydd ward, which covers Roath)
    "Grangetown, Cardiff": (
        51.46344,
        -3.18897,
    ),  # http://piglix.com/piglix/Grangetown,_Cardiff (OS grid ST1774, square centre ST175745)
    "Toxteth, Liverpool": (53.3894, -2.9713),  # http://www.piglix.com/piglix/Toxteth
    "Handsworth, Birmingham": (52.5135, -1.9394),  # https://hmong.in.th/wiki/Handsworth,_Birmingham
    "Byker, Newcastle upon Tyne": (54.9677, -1.5645),  # https://wikimili.com/en/Byker
    "Leith, Edinburgh": (55.98009, -3.17005),  # https://familypedia.fandom.com/wiki/Leith
    "Govan, Glasgow": (55.8615, -4.3083),  # https://en.nearbywiki.org/detail/239388
    "Brixton, Lambeth": (
        51.461895,
        -0.114219,
    ),  # https://gazetteer.org.uk/place/Brixton,_Surrey_5827
    "Hulme, Manchester": (53.4636, -2.25),  # https://simple.wikipedia.org/wiki/Hulme
    "Harehills, Leeds": (53.8066, -1.5053),  # http://piglix.com/piglix/Harehills
    "St Pauls, Bristol": (51.4656, -2.582),  # https://en.wikipedia.org/wiki/St_Pauls,_Bristol
    "Sparkbrook, Birmingham": (52.462, -1.8712),  # https://kids.kiddle.co/Sparkbrook
    "Everton, Liverpool": (53.4188, -2.9661),  # https://en.wikipedia.org/wiki/Everton,_Liverpool
    "Walkden, Salford": (53.5239, -2.3991),  # https://wikizero.com/es/Walkden
    "Chapeltown, Leeds": (53.816, -1.531),  # https://uk.wikisko.ru/wiki/Chapeltown,_Leeds
    "Moseley, Birmingham": (52.44671, -1.88814),  # https://en-academic.com/dic.nsf/enwiki/118924
    # Edgeley's pages give no coordinates: its truth is the ONS postcode of Edgeley Park
    # (SK3 9DD), the ground in Edgeley where Stockport County play.
    "Edgeley, Stockport": (53.39993, -2.16712),
    "Edgeley, SK3": (53.39993, -2.16712),  # a postcode district as the qualifier
    "Ardwick": (53.47222, -2.21611),  # one place of that name: no qualifier needed
    "Splott": (51.48357, -3.15349),
    "Y Sblot": (51.48357, -3.15349),  # its Welsh name
}


@pytest.mark.parametrize(("query", "truth"), NEIGHBOURHOODS.items())
def test_qualified_neighbourhoods_land_within_2_km_of_their_centre(gaz, query, truth):
    from assetmap.places.distance import distance_km

    place = resolve(query, gaz)
    assert place.precision == "place" and not place.warnings
    assert distance_km(place.lat, place.lon, *truth) < 2.0, place


@pytest.mark.parametrize(
    ("name", "choice"),
    [("Edgeley", "Edgeley, Stockport"), ("Moss Side", "Moss Side, Manchester"),
     ("Easton", "Easton, Bristol"), ("Newport", "Newport, Isle of Wight"),
     ("Hanley", "Hanley, Stoke-on-Trent"),  # parts of towns and villages alike
     # A town under 20,000 against a ward or census area, which has no population figure
     # but can be a suburb as big as the town: not guessed (these went to Liverpool,
     # Staffordshire, Sheffield and North Yorkshire).
     ("Kensington", "Kensington, Kensington and Chelsea"), ("Cheadle", "Cheadle, Stockport"),
     ("Fulwood", "Fulwood, Preston"), ("Whitby", "Whitby, Cheshire West and Chester")],
)  # fmt: skip
def test_a_bare_name_several_places_share_is_refused_with_choices_that_work(gaz, name, choice):
    import re

    with pytest.raises(PlaceError) as info:
        resolve(name, gaz)
    choices = re.findall(r"'([^']+, [^']+)' \(", str(info.value))
    assert choice in choices
    for text in choices:  # every choice offered resolves, to one place of that name
        assert resolve(text, gaz).label.startswith(text.split(",")[0])


@pytest.mark.parametrize(
    ("query", "label"),
    [("Shelton, Staffordshire", "Shelton, Stoke-on-Trent"), ("Armley, West Yorkshire", "Armley, Leeds"),
     ("Fulwood, Lancashire", "Fulwood, Preston"), ("Toxteth, Merseyside", "Toxteth, Liverpool"),
     ("Edgeley, Greater Manchester", "Edgeley, Stockport"), ("Brixton, Greater London", "Brixton, Lambeth"),
     # A qualifier is matched as whole words: York is not North Yorkshire or West Yorkshire.
     ("Clifton, York", "Clifton, York")],
)  # fmt: skip
def test_a_county_qualifies_a_neighbourhood_or_town_of_its_councils(gaz, query, label):
    assert resolve(query, gaz).label == label


def test_a_qualifier_that_matches_nothing_lists_the_names_found_and_where(gaz):
    with pytest.raises(PlaceError) as info:
        resolve("Edgeley, Cardiff", gaz)
    message = str(info.value)
    assert "no Edgeley in or next to Cardiff" in message
    assert "'Edgeley, Stockport'" in message and "'Edgeley, Shropshire'" in message


def test_a_city_shortened_beats_the_villages_of_that_name_and_says_so(gaz):
    place = resolve("Stoke", gaz)
    assert place.area == "Stoke-on-Trent"
    assert "using the largest, Stoke-on-Trent" in place.warnings[0]
    assert "Stoke, Cheshire West and Chester" in place.alternatives


def test_a_dominant_place_is_taken_and_says_which_and_what_else(gaz):
    place = resolve("Aston", gaz)
    assert place.label == "Aston, Birmingham"
    assert "using the largest, Aston, Birmingham" in place.warnings[0]
    assert "Aston, West Oxfordshire" in place.alternatives
    for text in place.alternatives:  # each other place named resolves, as written
        assert resolve(text, gaz).label == text


def test_ambiguous_place_lists_choices_that_resolve(gaz):
    with pytest.raises(PlaceError) as info:
        resolve("Newport", gaz)
    assert "'Newport, Isle of Wight'" in str(info.value)
    assert resolve("Newport, Isle of Wight", gaz).area == "Isle of Wight"


def test_geopy_adapter_returns_a_geopy_location(gaz):
    from geopy.location import Location

    from assetmap.places.geopy_adapter import OfflineGeocoder

    location = OfflineGeocoder(gaz).geocode("ST4 7QB")
    assert isinstance(location, Location)
    assert round(location.latitude, 3) == 53.008
    assert location.raw["precision"] == "postcode"
    assert OfflineGeocoder(gaz).geocode("Nowhereville-on-Sea") is None


def test_locate_shows_the_choices(cli):
    out = json.loads(cli("locate", "Stoke", "--format", "json").stdout)
    assert "Stoke, Coventry" in out["alternatives"]
    refused = cli("locate", "Edgeley", code=1)
    assert "'Edgeley, Stockport'" in refused.stderr and "Traceback" not in refused.stderr


def test_locate_command_json(cli):
    out = json.loads(cli("locate", "ST4 7QB", "--format", "json").stdout)
    assert {"lat", "lon", "precision", "radius_km", "area", "source"} <= out.keys()
    assert out["precision"] == "postcode" and out["area"] == "Stoke-on-Trent"
    bad = cli("locate", "ST4 7Q", code=1)
    assert "not a valid postcode" in bad.stderr and "Traceback" not in bad.stderr


def test_add_with_only_a_postcode_gets_coordinates_and_area(cli, db_file):
    db = ["--db", str(db_file)]
    new_id = cli(*db, "add", "--name", "Walk", "--category", "walking group", "--postcode", "ST4 7QB").stdout.strip()  # fmt: skip
    shown = json.loads(cli(*db, "show", new_id, "--format", "json").stdout)
    assert shown["lat"] == pytest.approx(53.00753) and shown["lon"] == pytest.approx(-2.20409)
    assert shown["geo_precision"] == "postcode"
    assert shown["area"] == "Stoke-on-Trent"


def test_index_build_replaces_older_versions(tmp_path, monkeypatch):
    from assetmap.places import gazetteer

    monkeypatch.setenv("ASSETMAP_CACHE_DIR", str(tmp_path))
    old = tmp_path / "gazetteer-v0.db"
    old.write_bytes(b"an index from an older assetmap")
    gazetteer.build_index(gazetteer.index_path())
    assert gazetteer.index_path().exists() and not old.exists()
    # No temporary files left behind, in this naming or the one before.
    assert not list(tmp_path.glob(".assetmap-gazetteer-*")) and not list(
        tmp_path.glob(".gazetteer-*")
    )


def test_neighbourhood_names_come_from_wards_census_areas_and_their_parts(gaz):
    # A part of a ward's name: 'Hanley Park, Joiner's Square & Shelton' names Shelton.
    shelton = resolve("Shelton, Stoke-on-Trent", gaz)
    assert shelton.source == "offline: ONS ward names (May 2025)"
    # A census area's name without its compass point: 'Grangetown North' names Grangetown.
    roath = resolve("Roath", gaz)
    assert roath.label == "Roath, Cardiff"
    assert roath.source == "offline: House of Commons Library area names (MSOA 2021)"
    # Its radius covers the whole area, so a zone or an uncertainty is never too small.
    assert 0.5 <= roath.radius_km <= 3
    # A village keeps its own point over the middle of a large rural ward named after it.
    village = resolve("Christleton, Cheshire West and Chester", gaz)
    assert village.source == "offline: GeoNames locality"


def test_did_you_mean_offers_whole_names_only(gaz):
    import re

    # 'Ormskirk North & West' gave 'Ormskirk North &' (a compass point cut off its end).
    with pytest.raises(PlaceError) as info:
        resolve("Ormskirk Nort", gaz)
    assert "'Ormskirk North'" in str(info.value) and "&'" not in str(info.value)
    assert not [n for n in gaz.all_names() if re.search(r"(&|\band)$", n)]


@pytest.mark.parametrize("name", ["Rother", "Waverley", "Clackmannanshire", "Lewisham"])
def test_a_councils_own_name_is_the_council_not_a_ward_or_area_sharing_it(gaz, name):
    # Rother went to a ward of Chesterfield and Waverley to a census area of Rotherham.
    place = resolve(name, gaz)
    assert (place.precision, place.label, place.warnings) == ("council", name, [])


def test_a_ward_sharing_a_councils_name_is_reached_with_a_qualifier(gaz):
    # Bare, each is what it was before the ward names: a town, or a locality in the council
    # (so that --avoid Highland is the whole council).
    assert resolve("Bromley", gaz).label == "Bromley"  # not 'Bromley, Bromley'
    assert resolve("Highland", gaz).area == "Highland"
    assert resolve("Bromley, Tower Hamlets", gaz).source == "offline: ONS ward names (May 2025)"


def test_a_council_name_means_the_council_over_a_small_far_off_place_and_says_so(gaz):
    # Elmbridge is a Surrey council and a Worcestershire hamlet: the council, said on stderr.
    place = resolve("Elmbridge", gaz)
    assert (place.precision, place.area) == ("council", "Elmbridge")
    assert "Elmbridge, Wychavon" in place.warnings[0] and "using the council" in place.warnings[0]
    assert resolve("Elmbridge, Wychavon", gaz).precision == "place"  # the hamlet, asked for
    # A town of the council's name inside it is the more precise answer, as before.
    assert resolve("Stockport", gaz).precision == "place"
    assert resolve("Manchester", gaz).label.startswith("Manchester")


def test_a_compact_ward_is_taken_over_a_locality_placed_at_a_district_centre(gaz):
    from assetmap.places.distance import distance_km

    # GeoNames placed Craiglockhart about 9 km off, at a postcode district's centre; the ward
    # of that name is the suburb. Truth: Lockharton Crescent, Craiglockhart, 55.924927,-3.232187
    # (https://sobt.co.uk/walk-craiglockhart-hill, read 2026-12-01).
    place = resolve("Craiglockhart, Edinburgh", gaz)
    assert place.source == "offline: ONS ward names (May 2025)"
    assert distance_km(place.lat, place.lon, 55.924927, -3.232187) < 2.0


@pytest.mark.slow
def test_an_index_build_sweeps_the_temp_files_of_builds_that_were_killed(tmp_path, monkeypatch):
    # A build killed half-way (SIGKILL, a power cut) left a 70 MB temp file in the cache for
    # good. The next build removes those whose process is gone, and never one being written.
    import subprocess

    from assetmap import tempfiles
    from assetmap.places import gazetteer

    monkeypatch.setenv("ASSETMAP_CACHE_DIR", str(tmp_path))
    gone = subprocess.Popen(["true"])
    gone.wait()  # a process that has ended: its PID is not running
    killed = tmp_path / f".assetmap-gazetteer-{gone.pid}-{tempfiles._host()}-0badf00d"
    legacy = tmp_path / ".gazetteer-k3x9_q2z.tmp"  # the naming before this one, two days old
    live = tmp_path / f".assetmap-gazetteer-{os.getpid()}-{tempfiles._host()}-00c0ffee"
    for path in (killed, legacy, live):
        path.write_bytes(b"half an index")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(legacy, (two_days_ago, two_days_ago))
    gazetteer.build_index(gazetteer.index_path())
    assert gazetteer.index_path().exists()
    assert not killed.exists() and not legacy.exists()
    assert live.exists()  # this process is still running: another build, still writing


@pytest.mark.parametrize("name", ["Leeds", "York", "Lancaster", "Bromley"])
def test_a_place_and_its_council_sharing_a_name_is_said_once(gaz, name):
    # near said "Near Leeds, Leeds (place, Leeds)" and "the centre of Leeds, Leeds": a bare
    # name that finds one place is labelled with that name (the council is the area).
    place = resolve(name, gaz)
    assert (place.label, place.area) == (name, name)
    assert resolve(place.label, gaz).label == name  # the label still finds the same place


def test_a_doubled_qualifier_asked_for_is_kept_where_the_bare_name_is_ambiguous(gaz):
    # 'Newport' alone is seven places: 'Newport, Newport' is how the Welsh one is said.
    place = resolve("Newport, Newport", gaz)
    assert place.label == "Newport, Newport"
    assert (resolve(place.label, gaz).lat, resolve(place.label, gaz).lon) == (place.lat, place.lon)
