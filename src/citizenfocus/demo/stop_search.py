"""A year of the demo force's stop and search, one CSV per month exactly as police.uk publishes them.

Structure a scrutiny panel should find: Black residents searched about five times as often as White
residents and Mixed about twice, with a lower find rate (outcome linked to the object of search) for
Black people searched; a section 60 authorisation in Central division in two months; everything else
noise. Locations fall inside the neighbourhoods' demo boundaries (a few are blank, as published).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np

from citizenfocus.equality.police_uk import COLUMNS

from .census import neighbourhood_cells, ward_profiles
from .force import demo_force

_SEED = 1984
FIRST_MONTH = dt.date(2013, 4, 1)
MONTHS = 12
SEARCHES_PER_1000_WHITE = 0.55  # a month, all ages
_RELATIVE_RATE = {"White": 1.0, "Black": 5.0, "Asian": 1.4, "Mixed": 2.2, "Other": 1.2}
_FIND_RATE = {"White": 0.30, "Black": 0.21, "Asian": 0.27, "Mixed": 0.26, "Other": 0.28}
_SELF_DEFINED = {
    "White": ("White - English/Welsh/Scottish/Northern Irish/British", "White - Irish",
              "White - Any other White background"),
    "Black": ("Black/African/Caribbean/Black British - African", "Black/African/Caribbean/Black British - Caribbean",
              "Black/African/Caribbean/Black British - Any other Black/African/Caribbean background"),
    "Asian": ("Asian/Asian British - Pakistani", "Asian/Asian British - Indian", "Asian/Asian British - Bangladeshi",
              "Asian/Asian British - Any other Asian background"),
    "Mixed": ("Mixed/Multiple ethnic groups - White and Black Caribbean",
              "Mixed/Multiple ethnic groups - Any other Mixed/Multiple ethnic background"),
    "Other": ("Other ethnic group - Any other ethnic group",),
}
_LEGISLATION = ("Misuse of Drugs Act 1971 (section 23)", "Police and Criminal Evidence Act 1984 (section 1)")
SECTION_60 = "Criminal Justice and Public Order Act 1994 (section 60)"
_OBJECTS = {_LEGISLATION[0]: ("Controlled drugs",),
            _LEGISLATION[1]: ("Stolen goods", "Offensive weapons", "Article for use in theft"),
            SECTION_60: ("Offensive weapons",)}
_NO_FIND_OUTCOMES = ("A no further action disposal",) * 8 + ("Community resolution", "Arrest")
_FIND_OUTCOMES = ("Arrest", "Arrest", "Community resolution", "Khat or Cannabis warning",
                  "Summons / charged by post", "Penalty Notice for Disorder")
_AGE = ("10-17", "18-24", "25-34", "over 34")
_S60_MONTHS = (7, 8)  # months 7 and 8 of the year: an authorisation after a stabbing in the city


def _group_populations() -> dict[str, dict[str, int]]:
    """neighbourhood code → high-level group → residents, from the demo census."""
    out: dict[str, dict[str, int]] = {}
    for profile in ward_profiles().values():
        groups = out.setdefault(profile["neighbourhood"], dict.fromkeys(_RELATIVE_RATE, 0))
        for column, count in profile["ethnic"].items():
            if ":" not in column:
                groups[column.split(",")[0].split(" ")[0]] += count
    return out


def _row(rng, when: dt.datetime, group: str, cell, section_60: bool) -> list[str]:
    legislation = SECTION_60 if section_60 else _LEGISLATION[int(rng.random() < 0.35)]
    found = rng.random() < _FIND_RATE[group] * (0.6 if section_60 else 1.0)
    outcome = rng.choice(_FIND_OUTCOMES if found else _NO_FIND_OUTCOMES)
    self_defined = "Other ethnic group - Not stated" if rng.random() < 0.09 else rng.choice(_SELF_DEFINED[group])
    officer = group if rng.random() < 0.93 else rng.choice(("White", "Black", "Asian", "Other"))
    located = rng.random() > 0.04
    w, s, e, n = cell
    return [
        "Person search" if rng.random() < 0.85 else "Person and Vehicle search",
        when.isoformat(), "True" if section_60 else "False", "", f"{rng.uniform(s, n):.6f}" if located else "",
        f"{rng.uniform(w, e):.6f}" if located else "", "Male" if rng.random() < 0.9 else "Female",
        rng.choice(_AGE, p=(0.18, 0.36, 0.26, 0.20)), self_defined, officer, legislation,
        rng.choice(_OBJECTS[legislation]), outcome, "True" if found else "False",
        "True" if rng.random() < 0.03 else "False",
    ]


def month_rows(month_index: int) -> list[list[str]]:
    """One month's searches, in time order (a fixed seed per month: each file is reproducible alone)."""
    rng = np.random.default_rng([_SEED, month_index])
    first = dt.date(FIRST_MONTH.year + (FIRST_MONTH.month - 1 + month_index) // 12,
                    (FIRST_MONTH.month - 1 + month_index) % 12 + 1, 1)
    cells, populations = neighbourhood_cells(), _group_populations()
    central = {h.code for h in demo_force().division("Central").neighbourhoods}
    rows = []
    for code, groups in populations.items():
        for group, people in groups.items():
            count = rng.poisson(people / 1000 * SEARCHES_PER_1000_WHITE * _RELATIVE_RATE[group])
            s60 = rng.poisson(people / 1000 * 0.8 * _RELATIVE_RATE[group]) if (
                code in central and month_index in _S60_MONTHS) else 0
            for k in range(count + s60):
                when = dt.datetime(first.year, first.month, int(rng.integers(1, 29)), int(rng.integers(0, 24)),
                                   int(rng.integers(0, 60)), tzinfo=dt.UTC)
                rows.append(_row(rng, when, group, cells[code], k >= count))
    rows.sort(key=lambda r: r[1])
    return rows


def write_stop_search_files(folder: Path, months: int = MONTHS) -> list[Path]:
    """police.uk's file names and columns: YYYY-MM-northvale-stop-and-search.csv."""
    paths = []
    for index in range(months):
        rows = month_rows(index)
        path = folder / f"{rows[0][1][:7]}-northvale-stop-and-search.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(COLUMNS)
            out.writerows(rows)
        paths.append(path)
    return paths
