"""Two financial years of the demo force's hate crime, as a crime system's export (one row per crime).

Structure a board should find: race the largest strand; more than one strand on some crimes; religious
hate crime mostly against perceived Muslims, with the perceived religion sometimes not the victim's own
(a Sikh victim perceived as Muslim); a rise from one year to the next that is real for race and within
chance for the small strands; repeat victims about one in eight.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np

from .force import demo_force

_SEED = 2012
YEARS = ((2012, 820), (2013, 930))  # financial year starting April, crimes in the year
_STRANDS = (("race", 0.80), ("religion", 0.09), ("disability", 0.05), ("sexual orientation", 0.10),
            ("transgender identity", 0.015))
_PERCEIVED = (("Islam", 0.48), ("Judaism", 0.15), ("Christianity", 0.12), ("Sikhism", 0.10), ("Hinduism", 0.05),
              ("Buddhism", 0.02), ("Paganism", 0.01), ("Agnostic", 0.01), ("Unknown", 0.06))
_OUTCOMES = (("Charged/summonsed", 0.22), ("Caution", 0.06), ("Community resolution", 0.08),
             ("Evidential difficulties: victim supports action", 0.24),
             ("Evidential difficulties: victim does not support action", 0.18),
             ("Investigation complete: no suspect identified", 0.22))
COLUMNS = ("crime_reference", "recorded_date", "neighbourhood", "strands", "actual_religion", "perceived_religion",
           "religion_involved", "outcome", "repeat_victim")


def _pick(rng, table):
    names, shares = zip(*table, strict=True)
    return names[int(rng.choice(len(names), p=np.asarray(shares) / sum(shares)))]


def _strands(rng) -> list[str]:
    chosen = [name for name, share in _STRANDS if rng.random() < share]
    return chosen or ["race"]


def _row(rng, year: int, number: int, hoods: list[str]) -> list[str]:
    when = dt.date(year, 4, 1) + dt.timedelta(days=int(rng.integers(0, 365)))
    strands = _strands(rng)
    involved = "religion" in strands or ("race" in strands and rng.random() < 0.04)
    perceived = _pick(rng, _PERCEIVED) if involved else ""
    # The offender's perception is not always the victim's faith: Sikh and Hindu victims targeted as Muslims.
    actual = ("Sikhism" if rng.random() < 0.6 else "Hinduism") if perceived == "Islam" and rng.random() < 0.2 \
        else perceived
    if not involved:
        actual = "" if rng.random() < 0.7 else _pick(rng, _PERCEIVED)
    return [f"NV/{year % 100:02d}/{number:05d}", when.isoformat(), hoods[int(rng.integers(0, len(hoods)))],
            "; ".join(strands), actual, perceived, "Y" if involved else "N", _pick(rng, _OUTCOMES),
            "Y" if rng.random() < 0.12 else "N"]


def write_hate_crime_file(path: Path) -> Path:
    rng = np.random.default_rng(_SEED)
    hoods = [h.code for d in demo_force().divisions for h in d.neighbourhoods]
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(COLUMNS)
        for year, count in YEARS:
            out.writerows(_row(rng, year, i, hoods) for i in range(1, int(rng.poisson(count)) + 1))
    return path


# All crime recorded by the demo force in each financial year (entered by an analyst in a real force).
RECORDED_CRIME = {"2012/13": 61_450, "2013/14": 59_870}
