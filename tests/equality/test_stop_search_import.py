"""police.uk stop-and-search files as published: many months at once, row-level errors, idempotent."""

import csv
import json

import pytest

from citizenfocus.equality.boundaries import boundaries_import
from citizenfocus.equality.files import EqualityImportRefused
from citizenfocus.equality.models import Boundary, EqualityImport, StopSearch
from citizenfocus.equality.police_uk import COLUMNS
from citizenfocus.equality.stop_search import read_mapping, stop_search_import

ROW = ["Person search", "2013-05-03T21:15:00+00:00", "False", "", "53.485", "-2.275", "Male", "18-24",
       "Black/African/Caribbean/Black British - Caribbean", "Black", "Misuse of Drugs Act 1971 (section 23)",
       "Controlled drugs", "Arrest", "True", "False"]


def write(path, rows, header=COLUMNS):
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(header)
        out.writerows(rows)
    return path


def test_many_months_at_once_are_stored_with_their_neighbourhoods(loaded):
    files = loaded["stop_search"]
    rows = sum(sum(1 for _ in f.open()) - 1 for f in files)
    assert StopSearch.objects.count() == rows
    located = StopSearch.objects.exclude(latitude=None)
    assert located.filter(neighbourhood=None).count() == 0  # every published location falls in a boundary
    assert StopSearch.objects.filter(latitude=None, neighbourhood=None).count() == StopSearch.objects.filter(
        latitude=None).count()
    first = StopSearch.objects.filter(neighbourhood__code="N01").first()
    assert first.neighbourhood.code == "N01" and first.self_group in ("", "White", "Black", "Asian", "Mixed", "Other")


def test_reimporting_the_same_files_changes_nothing(loaded):
    before = list(StopSearch.objects.order_by("pk").values_list("pk", "key"))
    batches = stop_search_import(paths=loaded["stop_search"], who_name="again")
    assert [(b.added, b.removed) for b in batches] == [(0, 0), (0, 0)]
    assert list(StopSearch.objects.order_by("pk").values_list("pk", "key")) == before


def test_two_identical_rows_are_two_searches(demo_areas, tmp_path):
    stop_search_import(paths=[write(tmp_path / "2013-05.csv", [ROW, ROW])])
    assert StopSearch.objects.count() == 2
    stop_search_import(paths=[write(tmp_path / "2013-05.csv", [ROW, ROW])])
    assert StopSearch.objects.count() == 2


def test_a_republished_month_replaces_the_rows_no_longer_in_it(demo_areas, tmp_path):
    second = [*ROW[:1], "2013-05-04T10:00:00+00:00", *ROW[2:]]
    stop_search_import(paths=[write(tmp_path / "may.csv", [ROW, second])])
    [batch] = stop_search_import(paths=[write(tmp_path / "may.csv", [second])])
    assert (batch.added, batch.unchanged, batch.removed) == (0, 1, 1)
    assert StopSearch.objects.get().occurred_at.day == 4


def test_a_bad_cell_in_any_file_refuses_every_file(demo_areas, tmp_path):
    good = write(tmp_path / "2013-04.csv", [ROW])
    bad_row = list(ROW)
    bad_row[7], bad_row[13] = "18 to 24", "Yes"
    bad = write(tmp_path / "2013-05.csv", [ROW, bad_row])
    with pytest.raises(EqualityImportRefused) as refused:
        stop_search_import(paths=[good, bad])
    messages = [str(p) for p in refused.value.problems]
    assert any(m.startswith('2013-05.csv row 3, column "Age range": "18 to 24" is not one of police.uk') for m in messages)
    assert '2013-05.csv row 3, column "Outcome linked to object of search": "Yes" is not True, False or blank' in messages
    assert StopSearch.objects.count() == 0 and not EqualityImport.objects.exists()


def test_a_file_missing_a_published_column_is_refused_naming_it(demo_areas, tmp_path):
    header = [c for c in COLUMNS if c != "Officer-defined ethnicity"]
    path = write(tmp_path / "old.csv", [ROW[:9] + ROW[10:]], header=header)
    with pytest.raises(EqualityImportRefused, match='column "Officer-defined ethnicity": is missing'):
        stop_search_import(paths=[path])


def test_a_force_export_is_read_through_a_mapping(demo_areas, tmp_path):
    header = ["SearchType" if c == "Type" else "DateTime" if c == "Date" else c for c in COLUMNS]
    path = write(tmp_path / "force-export.csv", [ROW], header=header)
    mapping = tmp_path / "mapping.csv"
    mapping.write_text("SearchType,Type\nDateTime,Date\n", encoding="utf-8")
    stop_search_import(paths=[path], mapping=read_mapping(mapping))
    assert StopSearch.objects.get().type == "Person search"


def test_a_mapping_to_a_column_police_uk_does_not_have_is_refused(tmp_path):
    mapping = tmp_path / "mapping.csv"
    mapping.write_text("SearchType,Kind of search\n", encoding="utf-8")
    with pytest.raises(EqualityImportRefused, match="mapping.csv row 1"):
        read_mapping(mapping)


def test_boundaries_with_an_unknown_code_or_grid_coordinates_are_refused(demo_areas, equality_files, tmp_path):
    document = json.loads(equality_files["boundaries"].read_text())
    document["features"][2]["properties"]["code"] = "Q77"
    document["features"][4]["geometry"]["coordinates"][0][1] = [412000.0, 398000.0]
    bad = tmp_path / "bad.geojson"
    bad.write_text(json.dumps(document))
    with pytest.raises(EqualityImportRefused) as refused:
        boundaries_import(path=bad, level="neighbourhood")
    text = [str(p) for p in refused.value.problems]
    assert 'bad.geojson row 3, column "properties.code": "Q77" is not the code of one of the force\'s neighbourhoods' in text
    assert any(t.startswith('bad.geojson row 5, column "geometry": has coordinates that are not longitude') for t in text)
    assert not Boundary.objects.exists()


def test_ward_boundaries_from_the_national_geography_file_find_their_neighbourhood(demo_areas, tmp_path):
    feature = {"type": "Feature", "properties": {"WD22CD": "E05900001", "WD22NM": "Some ward"},
               "geometry": {"type": "Polygon", "coordinates": [[[-2.3, 53.4], [-2.2, 53.4], [-2.2, 53.5],
                                                                [-2.3, 53.4]]]}}
    path = tmp_path / "wards.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    boundaries_import(path=path, level="ward")
    assert Boundary.objects.get(level="ward").neighbourhood.code == "N01"
