"""Census ages put into police.uk's stop-and-search age ranges; rates and ratios by age and sex, worked by hand
and checked against base R."""

import datetime as dt
import math
import shutil
import subprocess
import textwrap

import pytest

from citizenfocus.equality.ages import (
    POLICE_UK_AGE_RANGES,
    SURVEY_AGE_BANDS,
    age_span,
    map_ages,
    survey_age_band,
)
from citizenfocus.equality.police_uk import AGE_RANGES


def test_the_table_covers_every_police_uk_age_range_and_every_age_once():
    assert list(POLICE_UK_AGE_RANGES) == [a for a in AGE_RANGES if a]
    spans = list(POLICE_UK_AGE_RANGES.values())
    assert spans[0][0] == 0 and spans[-1][1] is None
    for (_, high), (low, _) in zip(spans, spans[1:], strict=False):
        assert low == high + 1  # no gap and no overlap


@pytest.mark.parametrize(("label", "span"), [
    ("Aged under 1 year", (0, 0)), ("Aged 1 year", (1, 1)), ("Aged 17 years", (17, 17)),
    ("Aged 4 years and under", (0, 4)), ("Aged 5 to 9 years", (5, 9)), ("Aged 90 years and over", (90, None)),
    ("Total", None), ("Aged 9 to 5 years", None), ("Adults", None),
])
def test_census_age_labels_are_read_as_spans_of_whole_years(label, span):
    assert age_span(label) == span


def test_single_years_of_age_go_into_police_uk_ranges():
    labels = ["Total", "Aged under 1 year", *(f"Aged {a} year{'s' if a > 1 else ''}" for a in range(1, 90)),
              "Aged 90 years and over"]
    mapping = map_ages(labels)
    assert not mapping.straddling and not mapping.unreadable
    assert mapping.ranges["Aged under 1 year"] == mapping.ranges["Aged 9 years"] == "under 10"
    assert mapping.ranges["Aged 10 years"] == mapping.ranges["Aged 17 years"] == "10-17"
    assert mapping.ranges["Aged 18 years"] == "18-24" and mapping.ranges["Aged 34 years"] == "25-34"
    assert mapping.ranges["Aged 35 years"] == mapping.ranges["Aged 90 years and over"] == "over 34"


def test_five_year_bands_that_straddle_a_range_are_flagged_not_guessed():
    labels = ["Aged 4 years and under", "Aged 5 to 9 years", "Aged 10 to 14 years", "Aged 15 to 19 years",
              "Aged 20 to 24 years", "Aged 25 to 29 years", "Aged 30 to 34 years", "Aged 35 years and over"]
    mapping = map_ages(labels)
    assert mapping.straddling == {"Aged 15 to 19 years": ("10-17", "18-24")}
    assert mapping.blocked == {"10-17", "18-24"}
    assert mapping.problems() == ['census band "Aged 15 to 19 years" spans 10-17 and 18-24: it cannot be split '
                                  "without guessing"]
    assert mapping.ranges["Aged 20 to 24 years"] == "18-24"  # placed, but 18-24 is still incomplete


def test_the_surveys_bands_come_from_single_years_or_finer_bands():
    assert survey_age_band("Aged 16 to 17 years") == survey_age_band("Aged 24 years") == "16-24"
    assert survey_age_band("Aged 75 years and over") == "75+" and survey_age_band("Aged 10 to 15 years") is None
    assert survey_age_band("Aged 15 to 19 years") is None  # straddles under 16 and 16-24
    assert list(SURVEY_AGE_BANDS)[0] == "16-24"


def test_a_census_file_with_ages_that_are_not_ages_is_refused(tmp_path):
    from citizenfocus.equality.census import parse_census
    from citizenfocus.equality.files import EqualityImportRefused

    path = tmp_path / "age.csv"
    path.write_text("date,geography,geography code,Sex: Female; Age: Aged 16 to 24 years; measures: Value,"
                    "Sex: Female; Age: Young adults; measures: Value\n2021,A,E05000001,10,5\n", encoding="utf-8")
    with pytest.raises(EqualityImportRefused) as refused:
        parse_census(path)
    assert "has ages that are not read as ages: Young adults" in str(refused.value.problems[0])


# A small force by hand: one area, single years of age for two sexes, searches by age and sex.
def _write_census(path, counts: dict[str, tuple[int, int]]):
    labels = list(counts)
    header = ["date", "geography", "geography code", "Sex: All persons; Age: Total; measures: Value"]
    header += [f"Sex: {sex}; Age: {label}; measures: Value" for sex in ("Female", "Male") for label in labels]
    values = [sum(f + m for f, m in counts.values())] + [counts[label][i] for i in (0, 1) for label in labels]
    path.write_text(",".join(header) + "\n" + ",".join(["2021", "Testvale", "E05000001", *map(str, values)]) + "\n",
                    encoding="utf-8")


def _search(gender: str, age: str) -> list[str]:
    return ["Person search", "2014-01-15T10:00:00+00:00", "False", "", "", "", gender, age,
            "White - Irish", "White", "Police and Criminal Evidence Act 1984 (section 1)", "Stolen goods",
            "A no further action disposal", "False", "False"]


def _write_searches(path, searches: list[tuple[str, str, int]]):
    import csv

    from citizenfocus.equality.police_uk import COLUMNS

    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(COLUMNS)
        for gender, age, n in searches:
            out.writerows([_search(gender, age)] * n)


# residents (female, male) per single year, chosen so the ranges sum to round numbers
SINGLE_YEARS = {"Aged under 1 year": (50, 50), **{f"Aged {a} year{'s' if a > 1 else ''}": (50, 50)
                                                  for a in range(1, 10)},
                **{f"Aged {a} years": (100, 100) for a in range(10, 18)},
                **{f"Aged {a} years": (150, 150) for a in range(18, 25)},
                **{f"Aged {a} years": (100, 100) for a in range(25, 35)},
                "Aged 35 to 49 years": (1500, 1500), "Aged 50 years and over": (2000, 1800)}
SEARCHES = [("Male", "10-17", 20), ("Male", "18-24", 50), ("Female", "18-24", 10), ("Male", "25-34", 20),
            ("Male", "over 34", 25), ("Female", "over 34", 5), ("Other", "18-24", 2), ("Male", "", 3)]


@pytest.fixture
def small_force(demo_areas, tmp_path):
    from citizenfocus.equality.census import census_import
    from citizenfocus.equality.stop_search import stop_search_import

    _write_census(tmp_path / "ts009.csv", SINGLE_YEARS)
    _write_searches(tmp_path / "2014-01.csv", SEARCHES)
    census_import(path=tmp_path / "ts009.csv", who_name="test")
    stop_search_import(paths=[tmp_path / "2014-01.csv"], who_name="test")


def _filters():
    from citizenfocus.equality.searches import SearchFilters

    return SearchFilters(first=dt.date(2014, 1, 1), last=dt.date(2014, 1, 1))


def test_rates_by_age_worked_by_hand(small_force):
    from citizenfocus.equality.searches import age_rows

    rows, problems = age_rows(_filters())
    assert problems == []
    by = {r["age_range"]: r for r in rows}
    # residents: under 10 = 10 years × 100 = 1,000; 10-17 = 8 × 200 = 1,600; 18-24 = 7 × 300 = 2,100;
    # 25-34 = 10 × 200 = 2,000; over 34 = 3,000 + 3,800 = 6,800 (the file's "All persons; Total" is not counted)
    assert [by[a]["residents"] for a in POLICE_UK_AGE_RANGES] == [1000, 1600, 2100, 2000, 6800]
    assert [by[a]["searches"] for a in POLICE_UK_AGE_RANGES] == [0, 20, 62, 20, 30]
    assert by["Not stated"] == {"age_range": "Not stated", "searches": 3, "residents": None}
    # 18-24: 62 / 2,100 × 1,000 = 29.5238; over 34: 30 / 6,800 × 1,000 = 4.41176; ratio 6.69206
    assert by["18-24"]["rate_per_1000"] == pytest.approx(29.52381, abs=1e-5)
    assert by["18-24"]["ratio"] == pytest.approx((62 / 2100) / (30 / 6800))
    # log method: se = sqrt(1/62 + 1/30) = 0.222401; ×÷ exp(1.959964 × se) = 1.546352 → 4.32765 to 10.3483
    assert (by["18-24"]["ratio_low"], by["18-24"]["ratio_high"]) == pytest.approx((4.32765, 10.3483), abs=1e-4)
    assert by["18-24"]["ratio_sentence"] == ("People aged 18-24 were 6.7 times as likely as people aged over 34 to be "
                                             "searched (95% CI 4.3 to 10.3).")
    assert by["under 10"]["ratio"] is None and "a count or a population is zero" in by["under 10"]["ratio_sentence"]
    assert "ratio" not in by["over 34"]  # the reference


def test_rates_by_sex_worked_by_hand(small_force):
    from citizenfocus.equality.searches import sex_rows

    by = {r["sex"]: r for r in sex_rows(_filters())}
    # females 500 + 800 + 1,050 + 1,000 + 3,500 = 6,850; males 6,650; searches 15 and 118
    assert (by["Female"]["residents"], by["Male"]["residents"]) == (6850, 6650)
    assert (by["Female"]["searches"], by["Male"]["searches"]) == (15, 118)
    ratio = (118 / 6650) / (15 / 6850)
    half = 1.959964 * math.sqrt(1 / 118 + 1 / 15)
    assert by["Male"]["ratio"] == pytest.approx(ratio)
    assert (by["Male"]["ratio_low"], by["Male"]["ratio_high"]) == pytest.approx(
        (ratio * math.exp(-half), ratio * math.exp(half)), rel=1e-6)
    assert by["Male"]["ratio_sentence"].startswith("Males were 8.1 times as likely as females to be searched")
    assert by["Other"] == {"sex": "Other", "searches": 2, "residents": None}


def test_banded_census_ages_that_straddle_police_uk_ranges_give_no_rate_and_say_why(demo_areas, tmp_path):
    from citizenfocus.equality.census import census_import
    from citizenfocus.equality.searches import age_rows
    from citizenfocus.equality.stop_search import stop_search_import

    _write_census(tmp_path / "bands.csv", {"Aged 15 years and under": (900, 900), "Aged 16 to 24 years": (800, 800),
                                           "Aged 25 to 34 years": (700, 700), "Aged 35 years and over": (3000, 3000)})
    _write_searches(tmp_path / "2014-01.csv", SEARCHES)
    census_import(path=tmp_path / "bands.csv", who_name="test")
    stop_search_import(paths=[tmp_path / "2014-01.csv"], who_name="test")
    rows, problems = age_rows(_filters())
    by = {r["age_range"]: r for r in rows}
    assert [by[a]["residents"] for a in POLICE_UK_AGE_RANGES] == [None, None, None, 1400, 6000]
    assert by["18-24"]["rate_per_1000"] is None and by["18-24"]["searches"] == 62
    assert by["25-34"]["ratio"] == pytest.approx((20 / 1400) / (30 / 6000))
    assert problems == ['census band "Aged 15 years and under" spans under 10 and 10-17: it cannot be split without '
                        'guessing', 'census band "Aged 16 to 24 years" spans 10-17 and 18-24: it cannot be split '
                        'without guessing']


@pytest.mark.r
def test_age_ratios_and_intervals_match_base_r(small_force, tmp_path):
    """A Poisson model of searches with log(residents) as offset, people over 34 the reference level:
    exp(coefficient) is each range's ratio, exp(confint.default) its log-method interval."""
    if shutil.which("Rscript") is None:
        pytest.skip("Rscript is not installed")
    from citizenfocus.equality.searches import age_rows

    rows = [r for r in age_rows(_filters())[0] if r["residents"] and r["searches"]]
    data = tmp_path / "ages.csv"
    data.write_text("age,count,pop\n" + "".join(f"{r['age_range']},{r['searches']},{r['residents']}\n" for r in rows))
    script = textwrap.dedent(f"""
        d <- read.csv("{data}", stringsAsFactors = FALSE)
        d$age <- relevel(factor(d$age), ref = "over 34")
        f <- glm(count ~ age + offset(log(pop)), family = poisson, data = d,
                 control = glm.control(epsilon = 1e-13, maxit = 100))
        ci <- exp(confint.default(f))
        for (a in setdiff(levels(d$age), "over 34")) {{
          k <- paste0("age", a)
          cat(a, sprintf("%.17g", c(exp(coef(f)[k]), ci[k, ])), "\\n")
        }}
    """)
    (tmp_path / "r.R").write_text(script)
    run = subprocess.run(["Rscript", str(tmp_path / "r.R")], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    by = {r["age_range"]: r for r in rows}
    lines = run.stdout.strip().splitlines()
    assert len(lines) == 3
    for line in lines:
        age, *values = line.split()
        assert [by[age]["ratio"], by[age]["ratio_low"], by[age]["ratio_high"]] == pytest.approx(
            [float(v) for v in values], rel=1e-9)
