"""Census tables in the published bulk layout: stored, checked row by row, all or nothing, idempotent."""

import csv

import pytest

from citizenfocus.equality.census import census_import, lookup_import
from citizenfocus.equality.files import EqualityImportRefused
from citizenfocus.equality.models import CensusArea, CensusCount, EqualityImport


def rewrite(source, target, change):
    with source.open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    change(rows)
    with target.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return target


def test_it_stores_the_ethnic_group_table_with_its_19_categories_and_5_groups(demo_areas, equality_files):
    record = census_import(path=equality_files["ethnic"], who_name="analyst")
    area = CensusArea.objects.get(code="E05900001")
    counts = dict(area.counts.filter(table="ethnic_group").values_list("category", "count"))
    assert len(counts) == 1 + 5 + 19
    assert sum(v for c, v in counts.items() if ":" not in c) == counts["Total: All usual residents"]
    assert counts["White"] == sum(v for c, v in counts.items() if c.startswith("White:"))
    assert (record.rows, record.added, record.who_name) == (227, 227 * 25, "analyst")


def test_reimporting_the_same_file_changes_nothing(demo_areas, equality_files):
    census_import(path=equality_files["ethnic"])
    before = list(CensusCount.objects.order_by("pk").values_list("pk", "count"))
    again = census_import(path=equality_files["ethnic"])
    assert (again.added, again.changed, again.unchanged) == (0, 0, 227 * 25)
    assert list(CensusCount.objects.order_by("pk").values_list("pk", "count")) == before
    assert EqualityImport.objects.filter(kind="census").count() == 2  # each attempt on record


def test_a_bad_count_refuses_the_whole_file_naming_row_column_and_value(demo_areas, equality_files, tmp_path):
    def spoil(rows):
        rows[3][5] = "12a"
        rows[7][2] = ""

    bad = rewrite(equality_files["ethnic"], tmp_path / "ts021.csv", spoil)
    with pytest.raises(EqualityImportRefused) as refused:
        census_import(path=bad)
    messages = [str(p) for p in refused.value.problems]
    assert any(m.startswith('ts021.csv row 4, column "Ethnic group: Asian, Asian British or Asian Welsh: '
                            'Bangladeshi": "12a" is not a count') for m in messages)
    assert any('row 8, column "geography code"' in m and "is empty" in m for m in messages)
    assert CensusArea.objects.count() == 0 and CensusCount.objects.count() == 0


def test_a_group_that_is_not_the_sum_of_its_categories_is_refused(demo_areas, equality_files, tmp_path):
    def spoil(rows):
        rows[2][4] = str(int(rows[2][4]) + 1)  # the Asian group, one more than its categories

    with pytest.raises(EqualityImportRefused, match="is not the sum of its categories"):
        census_import(path=rewrite(equality_files["ethnic"], tmp_path / "ts021.csv", spoil))


def test_a_file_of_another_layout_is_refused_with_what_was_expected(demo_areas, tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("code,people\nE05000001,12\n", encoding="utf-8")
    with pytest.raises(EqualityImportRefused) as refused:
        census_import(path=other)
    assert 'has no "geography code" column' in str(refused.value)
    assert "Ethnic group" in str(refused.value)


def test_age_by_sex_is_stored_per_sex_and_age_band(demo_areas, equality_files):
    census_import(path=equality_files["age_sex"])
    counts = dict(CensusCount.objects.filter(area__code="E05900001", table="age_sex").values_list("category", "count"))
    assert "Female; Aged 18 to 24 years" in counts and "Male; Aged 75 years and over" in counts
    assert len(counts) == 20  # 10 bands, breaking where police.uk's age ranges and the surveys' bands do


def test_the_lookup_puts_each_area_in_its_neighbourhood(demo_areas, equality_files):
    census_import(path=equality_files["ethnic"])
    lookup_import(path=equality_files["lookup"])
    assert CensusArea.objects.filter(neighbourhood=None).count() == 0
    assert CensusArea.objects.get(code="E05900001").neighbourhood.code == "N01"


def test_a_lookup_naming_an_unknown_neighbourhood_changes_nothing(demo_areas, equality_files, tmp_path):
    census_import(path=equality_files["ethnic"])

    def spoil(rows):
        rows[5][2] = "Z99"

    with pytest.raises(EqualityImportRefused) as refused:
        lookup_import(path=rewrite(equality_files["lookup"], tmp_path / "lookup.csv", spoil))
    assert 'lookup.csv row 6, column "neighbourhood_code": "Z99" is not the code of one of the force' in str(
        refused.value)
    assert CensusArea.objects.exclude(neighbourhood=None).count() == 0
