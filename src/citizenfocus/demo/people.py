"""Who answers: areas, ethnicity, age, sex and disability, drawn per row with numpy.

Shared by both surveys. Each function takes the chunk's generator and returns
small-integer arrays (indices into the label tuples below), so that a million
rows never become a million Python objects.
"""

from __future__ import annotations

import numpy as np

from .force import ward_table

WHITE, BME, NOT_STATED = 0, 1, 2

WHITE_CODES = ("W1", "W2", "W3", "W4")
WHITE_SHARES = (0.87, 0.02, 0.01, 0.10)
BME_CODES = ("M1", "M2", "M3", "M4", "A1", "A2", "A3", "A4", "A5", "B1", "B2", "B3", "O1", "O2")
BME_SHARES = (0.05, 0.02, 0.03, 0.02, 0.18, 0.20, 0.06, 0.05, 0.07, 0.12, 0.10, 0.03, 0.03, 0.04)
ETHNICITY_CODES = (*WHITE_CODES, *BME_CODES, "NS")

AGE_BANDS = ("16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+", "Not stated")
YOUNG = 0  # index of 16-24
SEXES = ("Male", "Female", "Other", "Not stated")
SEX_SHARES = (0.48, 0.495, 0.005, 0.02)
DISABILITIES = ("Yes", "No", "Not stated")
# Disability is commoner with age; index by age band.
DISABLED_BY_AGE = (0.06, 0.08, 0.10, 0.14, 0.20, 0.28, 0.40, 0.12)
DISABILITY_NOT_STATED = 0.03


def categorical(rng: np.random.Generator, shares, n: int) -> np.ndarray:
    """n draws of an index with the given shares (one uniform per row, so streams stay aligned)."""
    cumulative = np.cumsum(np.asarray(shares, dtype=np.float64))
    cumulative /= cumulative[-1]
    return np.searchsorted(cumulative, rng.random(n), side="right").astype(np.int64)


def categorical_by(rng: np.random.Generator, table, group: np.ndarray) -> np.ndarray:
    """Like categorical, but row i uses the shares in table[group[i]]."""
    cumulative = np.cumsum(np.asarray(table, dtype=np.float64), axis=1)
    cumulative /= cumulative[:, -1:]
    draws = rng.random(len(group))
    return (draws[:, None] >= cumulative[group]).sum(axis=1).astype(np.int64)


def draw_wards(rng: np.random.Generator, n: int, rate_by_division: dict[str, float]) -> np.ndarray:
    """Ward index per row: in proportion to people, times the division's rate per head."""
    table = ward_table()
    rates = np.asarray([rate_by_division[name] for name in table.division_names])
    return categorical(rng, table.ward_population * rates[table.ward_division], n)


def draw_ethnic_group(rng: np.random.Generator, bme_share: np.ndarray, ns_share: float) -> np.ndarray:
    """WHITE / BME / NOT_STATED per row, given each row's chance of being BME."""
    draws = rng.random(len(bme_share))
    group = np.full(len(bme_share), WHITE, dtype=np.int64)
    group[draws < bme_share + ns_share] = NOT_STATED
    group[draws < bme_share] = BME
    return group


def draw_ethnicity(rng: np.random.Generator, group: np.ndarray) -> np.ndarray:
    """A 2011 Census code (index into ETHNICITY_CODES) within each row's group."""
    white = categorical(rng, WHITE_SHARES, len(group))
    bme = categorical(rng, BME_SHARES, len(group)) + len(WHITE_CODES)
    not_stated = len(ETHNICITY_CODES) - 1
    return np.where(group == WHITE, white, np.where(group == BME, bme, not_stated))


def draw_age(rng: np.random.Generator, group: np.ndarray, by_group) -> np.ndarray:
    """Age band index; by_group holds the white, BME and not-stated shares (BME victims are younger)."""
    return categorical_by(rng, by_group, group)


def draw_sex(rng: np.random.Generator, n: int) -> np.ndarray:
    return categorical(rng, SEX_SHARES, n)


def draw_disability(rng: np.random.Generator, age: np.ndarray) -> np.ndarray:
    """Yes / No / Not stated index, more often yes for older people."""
    yes = np.asarray(DISABLED_BY_AGE)[age]
    table = np.stack([yes, 1.0 - yes - DISABILITY_NOT_STATED, np.full_like(yes, DISABILITY_NOT_STATED)])
    cumulative = np.cumsum(table, axis=0)
    draws = rng.random(len(age))
    return (draws[None, :] >= cumulative).sum(axis=0).astype(np.int64).clip(0, 2)
