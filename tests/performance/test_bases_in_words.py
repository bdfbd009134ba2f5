"""A base in a sentence is written as the tables write it: 30,344, not 30344."""

from citizenfocus.performance.pages.base import Column, Table
from citizenfocus.performance.pages.gaps import _headline
from citizenfocus.performance.pages.neighbourhoods import outside_line
from citizenfocus.performance.publication import flag_low_bases


def test_the_gap_sentence_writes_its_bases_with_thousands_separators():
    rows = [{"label": "Burglary", "diff": 0.052, "white_n": 30344, "bme_n": 2120,
             "verdict": "significantly lower", "significant_fdr": True}]
    (sentence,) = _headline({"crime_type": Table("By crime type", [], rows)}, "Overall satisfaction")
    assert "white n=30,344, BME n=2,120" in sentence
    assert "30344" not in sentence


def test_a_neighbourhood_outside_the_limits_writes_its_bases_with_thousands_separators():
    line = outside_line({"name": "Abbey", "division": "North", "position": "below", "rate": 0.712,
                         "n_eff": 1234.4, "n": 30344})
    assert "effective base of 1,234 (30,344 respondents)" in line


def test_the_low_base_column_writes_its_base_with_a_thousands_separator():
    table = Table("Rates", [Column("all_rate", "All users", "rate"), Column("all_n", "Base", "int")],
                  [{"all_rate": 0.8, "all_n": 30344}])
    (row,) = flag_low_bases(table, threshold=50000).rows
    assert row["low_base_note"].startswith("All users (n=30,344)")


def test_a_low_base_cell_writes_its_base_with_a_thousands_separator(monkeypatch):
    from citizenfocus.performance.templatetags import dashboard

    monkeypatch.setattr(dashboard, "LOW_BASE", 50000)  # a threshold above the base, to see how it is written
    html = dashboard.cell({"all_rate": 0.8, "all_n": 30344}, Column("all_rate", "All users", "rate"))
    assert "(low base: n=30,344)" in html
