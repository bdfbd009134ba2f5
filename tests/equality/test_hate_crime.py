"""Hate crime: import with row-level errors, the board's tables from the data, suppression for publication."""

import csv
import json

import pytest
from typer.testing import CliRunner

from citizenfocus.cli import app
from citizenfocus.equality import hate_crime_figures as figures
from citizenfocus.equality.files import EqualityImportRefused
from citizenfocus.equality.hate_crime import COLUMNS, hate_crime_import, recorded_crime_set
from citizenfocus.equality.hate_crime_page import SUPPRESSED, build
from citizenfocus.equality.models import HateCrime

LAST, THIS = "2012/13", "2013/14"


def write(path, rows, header=COLUMNS):
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(header)
        out.writerows(rows)
    return path


def crime(ref, date="2013-06-01", strands="race", actual="", perceived="", involved="N", outcome="Caution",
          repeat="N", hood="C01"):
    return [ref, date, hood, strands, actual, perceived, involved, outcome, repeat]


@pytest.fixture
def hate_file(tmp_path):
    from citizenfocus.demo.hate_crime import write_hate_crime_file

    return write_hate_crime_file(tmp_path / "hate.csv")


def test_strands_religions_and_markers_are_stored(demo_areas, tmp_path):
    hate_crime_import(paths=[write(tmp_path / "h.csv", [
        crime("A/1", strands="race; religion", actual="Sikhism", perceived="Islam", involved="Y", repeat="Y"),
        crime("A/2", date="14/02/2014", strands="Sexual orientation|transgender identity", hood=""),
    ])])
    first, second = HateCrime.objects.order_by("crime_ref")
    assert (first.race, first.religion, first.disability) == (True, True, False)
    assert (first.actual_religion, first.perceived_religion, first.religion_involved, first.repeat_victim) == (
        "Sikhism", "Islam", True, True)
    assert second.sexual_orientation and second.transgender and second.neighbourhood is None
    assert str(second.recorded_on) == "2014-02-14"


def test_bad_cells_refuse_every_file_naming_row_column_and_value(demo_areas, tmp_path):
    good = write(tmp_path / "good.csv", [crime("B/1")])
    bad = write(tmp_path / "bad.csv", [crime("B/2", strands="racism"), crime("B/3", perceived="Druid"),
                                       crime("B/3"), crime("B/4", date="31/02/2014", repeat="maybe")])
    with pytest.raises(EqualityImportRefused) as refused:
        hate_crime_import(paths=[good, bad])
    text = [str(p) for p in refused.value.problems]
    assert any(t.startswith('bad.csv row 2, column "strands": "racism" is not one or more of race') for t in text)
    assert any(t.startswith('bad.csv row 3, column "perceived_religion": "Druid" is not one of Agnostic') for t in text)
    assert 'bad.csv row 4, column "crime_reference": "B/3" appears twice in the file' in text
    assert 'bad.csv row 5, column "repeat_victim": "maybe" is not Y or N' in text
    assert any(t.startswith('bad.csv row 5, column "recorded_date": "31/02/2014"') for t in text)
    assert not HateCrime.objects.exists()


def test_reimport_updates_by_reference_and_changes_nothing_when_the_same(demo_areas, tmp_path):
    hate_crime_import(paths=[write(tmp_path / "h.csv", [crime("C/1"), crime("C/2")])])
    [same] = hate_crime_import(paths=[write(tmp_path / "h.csv", [crime("C/1"), crime("C/2")])])
    assert (same.added, same.changed, same.unchanged) == (0, 0, 2)
    [changed] = hate_crime_import(paths=[write(tmp_path / "h.csv", [crime("C/1", outcome="Charged/summonsed"),
                                                                    crime("C/2")])])
    assert (changed.added, changed.changed, changed.unchanged) == (0, 1, 1)
    assert HateCrime.objects.get(crime_ref="C/1").outcome == "Charged/summonsed"


def test_the_religion_table_computes_shares_from_its_counts(demo_areas, tmp_path):
    rows = [crime(f"D/{i}", date="2012-06-01", strands="religion", perceived="Islam", involved="Y") for i in range(6)]
    rows += [crime(f"E/{i}", date="2013-06-01", strands="religion", perceived=p, involved="Y")
             for i, p in enumerate(["Islam"] * 9 + ["Judaism"] * 3)]
    hate_crime_import(paths=[write(tmp_path / "h.csv", rows)])
    table = {r["religion"]: r for r in figures.religion_rows(LAST, THIS)}
    assert (table["Islam"]["last"], table["Islam"]["this"]) == (6, 9)
    assert table["Islam"]["this_share"] == pytest.approx(9 / 12) and table["Judaism"]["this_share"] == pytest.approx(0.25)
    assert table["Total"]["this"] == 12 and table["Islam"]["change"] == 3
    # 9 against 6: ratio 1.5, exp(±1.959964·sqrt(1/9 + 1/6)) = exp(±1.03300) = ×/÷ 2.80947 → 0.5339 to 4.2142
    assert (table["Islam"]["ratio_low"], table["Islam"]["ratio_high"]) == pytest.approx((0.5339, 4.2142), abs=1e-4)
    assert table["Islam"]["verdict"] == "no significant change"
    assert sum(r["this_share"] for r in table.values() if r["religion"] != "Total") == pytest.approx(1.0)


def test_the_board_tables_come_out_of_the_demo_data(demo_areas, hate_file):
    hate_crime_import(paths=[hate_file])
    recorded_crime_set(year=THIS, total=59870, who_name="analyst")
    result = build(LAST, THIS)
    strands = {r["strand"]: r for r in result.tables["strands"].rows}
    assert strands["Race"]["verdict"] == "significant rise"
    assert sum(strands[s]["this"] for s in figures.STRAND_LABELS.values()) > strands[
        "All hate crime (each crime once)"]["this"]  # some crimes have more than one strand
    share = {r["year"]: r for r in result.tables["share_of_crime"].rows}
    assert share[THIS]["share"] == pytest.approx(share[THIS]["hate_crimes"] / 59870)
    assert share[LAST]["share"] is None  # no total entered for that year
    assert len(result.tables["months"].rows) == 24
    perceived = {r["religion"]: r for r in result.tables["perceived_religion"].rows}
    actual = {r["religion"]: r for r in result.tables["actual_religion"].rows}
    assert perceived["Islam"]["this"] > actual["Islam"]["this"]  # some perceived as Muslim are Sikh or Hindu
    assert perceived["Sikhism"]["this"] < actual["Sikhism"]["this"]


def test_small_counts_are_suppressed_for_publication_and_cannot_be_recovered(demo_areas, hate_file):
    hate_crime_import(paths=[hate_file])
    published = {r["religion"]: r for r in build(LAST, THIS, publication=True).tables["perceived_religion"].rows}
    internal = {r["religion"]: r for r in build(LAST, THIS).tables["perceived_religion"].rows}
    small = [name for name, r in internal.items() if 0 < r["this"] < 5]
    assert small and all(published[name]["this"] == SUPPRESSED for name in small)
    hidden = [name for name, r in published.items() if r["this"] == SUPPRESSED]
    assert len(hidden) >= 2  # never one alone: the total would give it away
    assert all(published[name]["this_share"] is None for name in hidden)
    assert published["Total"]["this"] == internal["Total"]["this"]


def test_the_hate_crime_command_and_the_page(client, demo_areas, hate_file, users):
    runner = CliRunner()
    result = runner.invoke(app, ["import-hate-crime", str(hate_file), "--total", "2013/14=59870"])
    assert result.exit_code == 0, result.stderr
    out = json.loads(runner.invoke(app, ["hate-crime", "--table", "religion", "--years", "2012/13,2013/14"]).stdout)
    assert out["rows"][-1]["religion"] == "Total"
    bad = runner.invoke(app, ["hate-crime", "--years", "2013/15,2014/15"])
    assert bad.exit_code == 1 and "'2013/15' is not a financial year" in bad.stderr
    wrong_total = runner.invoke(app, ["import-hate-crime", str(hate_file), "--total", "2013=5"])
    assert wrong_total.exit_code == 1
    client.force_login(users["board_member"])
    page = client.get("/equality/hate-crime/", {"format": "json"}).json()
    assert page["years"] == ["2012/13", "2013/14"] and "satisfaction" in page["tables"]
    published = client.get("/equality/hate-crime/", {"format": "json", "publication": "1"}).json()
    assert published["charts"] == {} and published["publication"]["min_count"] == 5
    assert client.get("/equality/hate-crime/", {"years": "2013"}).status_code == 400
    client.force_login(users["officer"])
    assert client.get("/equality/hate-crime/").status_code == 403


def test_the_published_page_renders_with_its_suppressed_cells_in_words(client, demo_areas, hate_file, users):
    hate_crime_import(paths=[hate_file])
    client.force_login(users["board_member"])
    page = client.get("/equality/hate-crime/", {"publication": "1"})
    assert page.status_code == 200 and SUPPRESSED in page.content.decode()
