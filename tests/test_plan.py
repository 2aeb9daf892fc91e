"""`assetmap plan`: the HTML and Markdown a person takes home, its map, the walking estimate and
the privacy rules (never the person's full postcode or point unless --show-from)."""

import json
import os
import re
import stat

import pytest

from assetmap.plan import walking
from assetmap.plan.area import MIN_RADIUS_KM, person_area

FROM = "ST4 7QB"
CHOSEN = ["shelton", "hanley-park", "burslem"]  # refs from `near ST4 7QB --goal "get fit"`


def _postcode_forms(pc: str) -> list[str]:
    return [pc, pc.replace(" ", ""), pc.lower(), pc.replace(" ", "").lower()]


def _home_point(cli) -> tuple[float, float]:
    located = json.loads(cli("locate", FROM, "--format", "json").stdout)
    located = located[0] if isinstance(located, list) else located
    return located["lat"], located["lon"]


def test_html_plan_has_each_place_with_everything_the_person_needs(cli):
    html = cli("plan", *CHOSEN, "--from", FROM, "--by", "Sam Jones, 01782 000000").stdout
    assert "@page { size: A4" in html
    assert html.count('<li class="item">') == 3
    for n, name in enumerate(
        ["Shelton Recovery Running", "Hanley Park Walking Group", "Burslem Recovery Café"], 1
    ):
        assert re.search(rf'<span class="num">{n}</span>{name}', html)
    assert "Wed " in html and ", 18:00-19:00" in html  # next dates of a Wed 18:00-19:00 group
    assert "km in a straight line" in html and "walk (estimate)" in html
    assert "further than a comfortable walk" in html  # Burslem is 4.2 km away
    assert "Welcomes people with convictions" in html and "DBS" in html
    assert "Can someone go with you" in html and "My notes" in html
    assert "Made on " in html and "Sam Jones, 01782 000000" in html
    assert "<script" not in html  # prints and opens offline, nothing runs


def test_plan_never_writes_the_persons_postcode_or_point_unless_asked(cli):
    lat, lon = _home_point(cli)
    for fmt in ("html", "md"):
        text = cli("plan", *CHOSEN, "--from", FROM, "--format", fmt).stdout
        for form in _postcode_forms(FROM):
            assert form not in text, (fmt, form)
        assert f"{lat:.4f}"[:-1] not in text and f"{lon:.4f}"[:-1] not in text
        assert "your home area (ST4 7)" in text  # the sector only
        shown = cli("plan", *CHOSEN, "--from", FROM, "--format", fmt, "--show-from").stdout
        assert FROM in shown
    point = cli("plan", *CHOSEN, "--from", f"{lat},{lon}").stdout
    assert f"{lat}" not in point and f"{lon}" not in point
    assert "your home area (ST" in point


def test_the_persons_area_is_their_sector_at_least_500_m_across(cli, tmp_path):
    from assetmap.places.gazetteer import open_gazetteer
    from assetmap.places.resolve import resolve

    gaz = open_gazetteer()
    sector = gaz.sector("ST4 7")
    area = person_area(resolve(FROM, gaz), gaz)
    assert (area.lat, area.lon, area.label) == (sector["lat"], sector["lon"], "ST4 7")
    assert area.radius_km >= MIN_RADIUS_KM
    # Coordinates (a home point) give the nearest sector's centre, not the point.
    lat, lon = _home_point(cli)
    area = person_area(resolve(f"{lat},{lon}", gaz), gaz)
    nearest = gaz.nearest_sector(lat, lon)
    assert (area.lat, area.lon) == (nearest["lat"], nearest["lon"]) != (lat, lon)
    assert area.radius_km >= MIN_RADIUS_KM
    # The circle drawn is the sector's, never smaller than 500 m across.
    html = cli("plan", *CHOSEN, "--from", FROM).stdout
    circle = re.search(
        r'<circle class="person-area" cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"', html
    )
    assert circle and float(circle.group(3)) > 6
    # A town is not personal: it is named and drawn as it is.
    town = cli("plan", *CHOSEN, "--from", "Hanley, Stoke-on-Trent").stdout
    assert "Distances are from Hanley" in town


def test_markdown_plan_for_case_notes(cli):
    md = cli("plan", *CHOSEN, "--from", FROM, "--format", "md").stdout
    assert md.startswith("# Your plan\n")
    assert "## 1. Shelton Recovery Running \\[example\\] (running group)" in md
    assert "- **When:** Wed " in md and "- **My notes:**" in md
    assert "walk (estimate)" in md and walking.SOURCES in md
    assert "<svg" not in md


def test_catalogue_text_is_escaped_in_html_and_markdown(cli):
    new_id = cli(
        "add", "--name", "<b>Bold</b> & *stars* Club", "--category", "gym",
        "--postcode", "ST1 5SH", "--description", "<script>alert(1)</script> [link](http://x)",
    ).stdout.strip()  # fmt: skip
    html = cli("plan", new_id, "--from", FROM).stdout
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    assert "<b>Bold</b>" not in html and "&lt;b&gt;Bold&lt;/b&gt; &amp; *stars* Club" in html
    md = cli("plan", new_id, "--from", FROM, "-f", "md").stdout
    assert "\\*stars\\*" in md and "\\[link\\]" in md


def test_walking_estimate_from_the_stated_factor_and_speed():
    # 1 km straight: 1.22 km on foot at 4.8 km/h is 15.25 minutes: "about 15".
    assert walking.walking_minutes(1.0) == 15
    assert walking.walking_minutes(0.05) == 5
    assert walking.walking_minutes(3.0) == 45
    assert walking.walking_minutes(3.01) is None
    assert walking.describe(3.5) == "further than a comfortable walk"
    assert "estimate" in walking.describe(1.0)


def test_plan_written_to_a_file_whole_and_private(cli, tmp_path):
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "plan.html"
    result = cli("plan", *CHOSEN, "--from", FROM, "--out", str(out))
    assert result.stdout == ""
    assert out.read_text().startswith("<!DOCTYPE html>")
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600  # it names the person's area
    assert [p.name for p in out.parent.iterdir()] == ["plan.html"]  # no temporary file left


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-place-at-all", "--from", FROM], "no asset with id 'no-such-place-at-all'"),
        (["s", "--from", FROM], "start of several ids"),
        (["shelton", "--from", FROM, "--format", "pdf"], "'pdf' is not one of html, md"),
        (["shelton", "--from", "Nowhereville Zzz"], "Nowhereville"),
        (["shelton", "--from", FROM, "--out", "/no/such/dir/plan.html"], "does not exist"),
        (["shelton", "--from", FROM, "--on", "31/02/2026"], "31/02/2026"),
    ],
)
def test_bad_input_gets_one_line_naming_the_fix(cli, args, message):
    result = cli("plan", *args, code=1)
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_closed_place_is_refused_and_a_long_list_warned_about(cli):
    found = json.loads(cli("near", FROM, "-n", "6", "-f", "json").stdout)
    ids = [a["id"] for a in found]
    cli("edit", ids[0], "--status", "closed")
    assert "is closed" in cli("plan", ids[0], "--from", FROM, code=1).stderr
    assert "may not fit" not in cli("plan", *ids[1:5], "--from", FROM).stderr  # four fit
    result = cli("plan", *ids[1:], "--from", FROM)
    assert "may not fit on one printed page (four do)" in result.stderr
    assert result.stdout.count('<li class="item">') == 5


def test_next_dates_count_from_the_plans_date(cli):
    # 2026-12-05 is a Saturday; Shelton meets on Wednesdays 18:00-19:00.
    md = cli("plan", "shelton", "--from", FROM, "-f", "md", "--on", "2026-12-05").stdout
    assert "Made on Saturday 5 December 2026" in md
    assert (
        "**When:** Wed 9 Dec, 18:00-19:00; Wed 16 Dec, 18:00-19:00; Wed 23 Dec, 18:00-19:00" in md
    )


def test_about_and_the_notice_carry_the_boundaries_attribution(cli):
    from importlib.resources import files

    about = " ".join(cli("about").stdout.split())  # an attribution may wrap over two lines
    assert "Council boundaries drawn on plan maps" in about and "Martin Chorley" in about
    notice = files("assetmap").joinpath("data/boundaries/NOTICE").read_text(encoding="utf-8")
    assert "Open Government Licence" in notice and "CC BY 4.0" in notice


def test_an_online_answer_is_personal_and_only_its_sector_is_shown():
    """An address found by an online geocoder comes back as precision 'place' labelled with the
    address: the plan must treat it as the person's home, not as a town."""
    from assetmap.places.gazetteer import open_gazetteer
    from assetmap.places.resolve import Place
    from assetmap.plan.area import from_words, is_personal

    gaz = open_gazetteer()
    home = Place("1 Any Street", 53.00469, -2.18406, "place", 0.05, "", "nominatim",
                 "1 Any Street, Stoke-on-Trent ST4 7QB")  # fmt: skip
    assert is_personal(home)
    area = person_area(home, gaz)
    assert (area.lat, area.lon) != (home.lat, home.lon) and area.radius_km >= MIN_RADIUS_KM
    words = from_words(home, area, show_from=False)
    assert "Any Street" not in words and "ST4 7QB" not in words and words.startswith("your home")


def test_a_place_without_a_position_is_listed_but_not_drawn():
    import datetime as dt

    from assetmap.catalogue.models import Asset
    from assetmap.plan import html, model, svgmap
    from assetmap.plan.area import PersonArea

    nowhere = Asset(id="x", name="Phone Befriending", category="peer support", phone="0800 000")
    plan = model.build([nowhere], (53.0, -2.18), PersonArea(53.0, -2.18, 0.1, "ST4 7"),
                       "your home area (ST4 7)", dt.date(2026, 12, 1))  # fmt: skip
    assert plan.area.radius_km == MIN_RADIUS_KM  # never less than 500 m across
    assert svgmap.draw(plan) == ""
    page = html.render(plan)
    assert "<svg" not in page and "Phone Befriending" in page
    assert "distance not known (no position recorded)" in page


def test_the_small_print_says_what_the_circle_is_when_the_place_is_a_town_or_neighbourhood(cli):
    # Found in a newcomer run: a plan from "Moss Side, Manchester" drew Moss Side's own area,
    # but its small print told the person the circle was "round the centre of your postcode
    # sector", which was not true of that page.
    named = cli("plan", *CHOSEN, "--from", "Shelton, Stoke-on-Trent").stdout
    assert "postcode sector" not in named
    assert "The map shows Shelton, Stoke-on-Trent as a circle round its centre." in named
    home = cli("plan", *CHOSEN, "--from", FROM).stdout
    assert "a circle round the centre of your postcode sector, not your address" in home


def test_a_give_food_address_that_ends_with_its_postcode_prints_it_once(cli):
    # Give Food's addresses end with the postcode (and often 'England'): the plan added the
    # postcode field after them, so 'Chichester, PO19 1DD, PO19 1DD'.
    new_id = cli(
        "add", "--name", "Chichester Foodbank", "--category", "foodbank",
        "--address", "The Family Centre\n21 Orchard Street\nChichester\nEngland\nPO19 1DD",
        "--postcode", "PO19 1DD", "--lat", "50.84", "--lon", "-0.78",
    ).stdout.strip()  # fmt: skip
    for fmt in ("md", "html"):
        text = cli("plan", new_id, "--from", "Chichester", "--format", fmt).stdout
        assert "The Family Centre, 21 Orchard Street, Chichester, PO19 1DD" in text, fmt
        assert text.count("PO19 1DD") == 1 and "England" not in text, fmt


def _contrast(fg: str, bg: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb (or #rgb) colours."""

    def luminance(colour: str) -> float:
        h = colour.lstrip("#")
        h = "".join(c * 2 for c in h) if len(h) == 3 else h
        channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _over(fg: str, bg: str, alpha: float) -> str:
    f, b = fg.lstrip("#"), bg.lstrip("#")
    return "#" + "".join(
        f"{round(int(f[i : i + 2], 16) * alpha + int(b[i : i + 2], 16) * (1 - alpha)):02x}"
        for i in (0, 2, 4)
    )


def test_the_map_names_the_places_round_and_each_place_by_its_short_name(cli):
    # The map had a dashed circle, dots and one boundary line, with no names to find one's
    # way by. Now: the wards and neighbourhoods of the bundled gazetteer, and each place's name.
    html = cli("plan", *CHOSEN, "--from", FROM).stdout
    svg = html[html.index("<svg") : html.index("</svg>")]
    places = re.findall(r'<text class="place-name"[^>]*>([^<]+)</text>', svg)
    assert len(places) >= 4, places
    assert {"Shelton", "Hanley", "Etruria", "Burslem", "Penkhull", "Basford"} & set(places)
    assert len(set(places)) == len(places)  # each name once
    # and each place once: not 'Basford' beside 'Basford & Hartshill'
    parts = [set(p.replace("&amp;", "&").split(" & ")) for p in places]
    for i, one in enumerate(parts):
        assert all(not (one & other) for other in parts[i + 1 :]), places
    assets = re.findall(r'<text class="asset-name"[^>]*>([^<]+)</text>', svg)
    assert set(assets) == {
        "Shelton Recovery Running",
        "Hanley Park Walking Group",
        "Burslem Recovery Café",
    }  # fmt: skip  ('[example]' stays on the card, not the map)
    assert "STOKE-ON-TRENT" in svg  # the council's name still labels its area


def test_map_text_passes_wcag_aa_contrast_on_whatever_it_sits_on(cli):
    # Council names were drawn at 3.5:1 (#8c8577 on #fbfaf6): under AA's 4.5:1 for small text.
    html = cli("plan", *CHOSEN, "--from", FROM).stdout
    svg = html[html.index("<svg") : html.index("</svg>")]
    land = re.search(r'class="council"[^>]*fill="(#[0-9a-f]{6})"', svg).group(1)
    sea = re.search(r'class="sea"[^>]*fill="(#[0-9a-f]{6})"', svg).group(1)
    area = re.search(r'class="person-area"[^>]*fill="(#[0-9a-f]{6})" fill-opacity="([\d.]+)"', svg)
    tinted = _over(area.group(1), land, float(area.group(2)))
    fills = re.findall(r'<text class="([\w-]+)"[^>]*fill="(#[0-9a-f]{3,6})"', svg)
    assert {c for c, _ in fills} >= {"council-name", "place-name", "asset-name", "area-name"}
    for cls, fill in fills:
        for ground in (land, sea, tinted):
            assert _contrast(fill, ground) >= 4.5, (cls, fill, ground, _contrast(fill, ground))


def test_the_persons_sheet_has_no_staff_caveats_they_go_to_the_practitioner(cli, tmp_path):
    # "Not known whether it welcomes people with convictions: check first" was printed on the
    # person's own sheet, even for a public library.
    library = cli("add", "--name", "Hanley Library", "--category", "library",
                  "--postcode", "ST1 3RS", "--phone", "01782 238455").stdout.strip()  # fmt: skip
    result = cli("plan", library, "--from", FROM, "--out", str(tmp_path / "plan.html"))
    sheet = (tmp_path / "plan.html").read_text()
    assert "Hanley Library" in sheet and "convictions" not in sheet
    assert "Not known whether" not in sheet and "check first" not in sheet
    assert "check before handing the plan over" in result.stderr
    assert "1. Hanley Library: not known whether it welcomes people with convictions" in (
        result.stderr
    )
    md = cli("plan", library, "--from", FROM, "--format", "md").stdout  # for case notes
    assert "not on the person's sheet" in md and "welcomes people with convictions" in md
    # A place marked as welcoming says so on the sheet: that is for the person.
    assert "Welcomes people with convictions." in cli("plan", "shelton", "--from", FROM).stdout


def test_a_card_with_no_times_and_no_contact_says_so_in_one_sentence(cli):
    # A card said both "Times not recorded: get in touch first" and "No contact details
    # recorded": two "unknown" lines where one sentence will do.
    bare = cli("add", "--name", "Fenton Park Bowls", "--category", "sports club",
               "--postcode", "ST4 2RR").stdout.strip()  # fmt: skip
    phoned = cli("add", "--name", "Fenton Walkers", "--category", "walking group",
                 "--postcode", "ST4 2RR", "--phone", "01782 000111").stdout.strip()  # fmt: skip
    for fmt in ("html", "md"):
        text = cli("plan", bare, phoned, "--from", FROM, "--format", fmt).stdout
        cards = re.split(r'<li class="item">|\n## ', text)[1:3]  # the two places' cards
        assert "Fenton Park Bowls" in cards[0] and "Fenton Walkers" in cards[1], fmt
        assert cards[0].count("Ask at the desk: no times or contact recorded.") == 1, fmt
        assert "Times not recorded" not in cards[0] and "Contact" not in cards[0], fmt
        assert "No contact details recorded" not in text, fmt
        assert "Times not recorded: get in touch first." in cards[1], fmt  # one unknown only
        assert "01782 000111" in cards[1], fmt


def test_who_can_go_along_is_something_the_person_can_act_on(cli):
    # A card with no contact recorded said "Ask them whether someone can come with you the
    # first time": there was no one to ask. After "Went along: a peer mentor" it still spoke
    # of "the first time".
    bare = cli("add", "--name", "Fenton Park Bowls", "--category", "sports club",
               "--postcode", "ST4 2RR", "--schedule", "Tue 10:00-12:00").stdout.strip()  # fmt: skip
    phoned = cli("add", "--name", "Fenton Walkers", "--category", "walking group",
                 "--postcode", "ST4 2RR", "--phone", "01782 000111").stdout.strip()  # fmt: skip
    for fmt in ("html", "md"):
        text = cli("plan", bare, phoned, "--from", FROM, "--format", fmt).stdout
        cards = re.split(r'<li class="item">|\n## ', text)[1:3]
        assert "Ask them" not in cards[0], fmt
        assert "your worker can find out before you go" in cards[0], fmt
        assert "Ask them whether someone can come with you the first time." in cards[1], fmt


def test_a_plan_of_one_or_two_places_uses_the_page(cli):
    # With one or two places the bottom of the A4 page was blank under a map at its largest
    # (120 mm). The page now goes to a larger map with the surroundings' names, fuller cards
    # (more dates, which way to set off, how to plan a bus, who it is for, what to bring) and
    # a box for the person's own notes. Four places are as before (tests/test_plan_chromium.py
    # prints them on one page).
    gym = cli("add", "--name", "Fenton Gym", "--category", "gym", "--postcode", "ST4 2RR",
              "--cost", "paid", "--referral", "membership", "--min-age", "16",
              "--schedule", "Mon 09:00-21:00", "--accessibility", "Step-free entrance; lift",
              "--phone", "01782 000222").stdout.strip()  # fmt: skip
    one = cli("plan", gym, "--from", FROM).stdout
    height = float(re.search(r'viewBox="0 0 720 (\d+)"', one).group(1))
    assert height * 186 / 720 > 120  # mm: larger than the old largest map
    assert re.search(r"km in a straight line to the (north|south|east|west)", one)
    assert one.count("Mon ") == 5  # five dates, not three
    assert "Who it is for:</span> 16 and over" in one
    assert "Access:</span> Step-free entrance; lift" in one
    assert "What to bring:</span> Your membership card and money for the fee" in one
    assert 'class="notes box"' in one and one.count("My notes") == 1  # one box, not per card
    far = cli("plan", gym, "burslem", "--from", FROM).stdout  # Burslem: beyond a walk
    assert far.count("traveline.info") == 1  # said for the far place only
    four = cli("plan", *CHOSEN, gym, "--from", FROM).stdout
    assert 'class="notes box"' not in four and "Who it is for" not in four
    assert "traveline" not in four and four.count("Mon ") <= 3 * 4
    # The case-notes copy has no page to fit: every detail.
    md = cli("plan", *CHOSEN, gym, "--from", FROM, "--format", "md").stdout
    assert "**What to bring:** Your membership card" in md and "traveline.info" in md
