"""Give Food's published food bank CSV is recognised and mapped; a Trussell Trust food bank
needs a voucher, and `near` says so."""

import json

# Give Food's header and rows as it publishes them (addresses with line breaks, latt_long).
GIVEFOOD = """name,slug,url,shopping_list_url,phone,email,address,postcode,parliamentary_constituency,mp,mp_party,ward,district,country,charity_number,charity_register_url,closed,latt_long,network
Hanley Foodbank,hanley-foodbank,https://hanley.foodbank.org.uk,,01782 000333,info@hanley.foodbank.org.uk,"1 Town Road
Hanley
Stoke-on-Trent
ST1 2JU",ST1 2JU,Stoke-on-Trent Central,,,Hanley Park,Stoke-on-Trent,England,,,False,"53.0246,-2.1760",Trussell
Burslem Larder,burslem-larder,https://larder.example,,1782000444,,"Market Place
ST6 3AA",ST6 3AA,Stoke-on-Trent North,,,Burslem,Stoke-on-Trent,England,,,False,"53.0449,-2.1994",Independent
Old Foodbank,old-foodbank,,,,,"Somewhere
ST4 7QB",ST4 7QB,,,,,Stoke-on-Trent,England,,,True,"53.0013,-2.1803",Independent
"""


def test_give_food_layout_is_recognised_and_mapped(cli, db_file, tmp_path):
    db = ["--db", str(db_file)]
    f = tmp_path / "foodbanks.csv"
    f.write_text(GIVEFOOD)
    out = cli(*db, "import", str(f))  # its columns are not assetmap's: no --ignore-extra needed
    assert "recognised Give Food's food bank layout" in out.stderr
    assert "3 added" in out.stderr
    assets = {a["name"]: a for a in json.loads(cli(*db, "list", "--format", "json").stdout)}
    hanley = assets["Hanley Foodbank"]
    assert (hanley["category"], hanley["referral"], hanley["cost"]) == (
        "foodbank",
        "referral-needed",
        "free",
    )
    assert hanley["lat"] == 53.0246 and hanley["area"] == "Stoke-on-Trent"
    assert "voucher" in hanley["description"]
    assert (
        assets["Burslem Larder"]["referral"] == ""
        and assets["Burslem Larder"]["phone"] == "01782 000444"
    )
    assert assets["Old Foodbank"]["status"] == "closed"
    assert hanley["source"] == "foodbanks"

    found = json.loads(cli(*db, "near", "ST1 2JU", "--goal", "food", "--format", "json").stdout)
    why = {r["name"]: r["why"] for r in found}
    assert "voucher needed" in why["Hanley Foodbank"]
    assert "voucher" not in why["Burslem Larder"]
    assert "Old Foodbank" not in why  # closed
