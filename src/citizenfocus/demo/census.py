"""The demo force's census profiles, lookup and boundaries, written in the published layouts.

Each ward of Northvale is a census area (its E05 code): an ethnic group table in the layout of the
Census 2021 bulk file TS021 (the total, 5 high-level groups and 19 categories), an age-by-sex table,
a lookup from ward to neighbourhood, and neighbourhood boundaries as GeoJSON (a grid of invented
shapes over the Pennines; no real place). Residents are more often minority-ethnic than the survey's
respondents, and younger, as in real forces, so the profile page has something to show.
"""

from __future__ import annotations

import csv
import json
from functools import cache
from pathlib import Path

import numpy as np

from .force import demo_force

_SEED = 1851
# The 2021 high-level groups and their categories, with the demo's shares within each group.
ETHNIC_GROUPS: tuple[tuple[str, tuple[tuple[str, float], ...]], ...] = (
    ("Asian, Asian British or Asian Welsh", (("Bangladeshi", 0.12), ("Chinese", 0.08), ("Indian", 0.30),
                                             ("Pakistani", 0.38), ("Other Asian", 0.12))),
    ("Black, Black British, Black Welsh, Caribbean or African", (("African", 0.50), ("Caribbean", 0.38),
                                                                ("Other Black", 0.12))),
    ("Mixed or Multiple ethnic groups", (("White and Asian", 0.28), ("White and Black African", 0.14),
                                         ("White and Black Caribbean", 0.38),
                                         ("Other Mixed or Multiple ethnic groups", 0.20))),
    ("White", (("English, Welsh, Scottish, Northern Irish or British", 0.88), ("Irish", 0.02),
               ("Gypsy or Irish Traveller", 0.004), ("Roma", 0.006), ("Other White", 0.09))),
    ("Other ethnic group", (("Arab", 0.4), ("Any other ethnic group", 0.6))),
)
# Minority-ethnic residents by division (the survey's respondents are fewer: see demo/uss.py).
_BME_SHARE = {"northern": 0.08, "central": 0.24, "southern": 0.09}
_BME_SPLIT = {"Asian": 0.52, "Black": 0.22, "Mixed": 0.16, "Other": 0.10}
# Bands that break where police.uk's stop-and-search age ranges do (10, 18, 25, 35) and where the
# surveys' bands do (16, 25, 35, …), so both can be counted exactly (equality/ages.py).
AGE_BANDS = ("Aged 9 years and under", "Aged 10 to 15 years", "Aged 16 to 17 years", "Aged 18 to 24 years",
             "Aged 25 to 34 years", "Aged 35 to 44 years", "Aged 45 to 54 years", "Aged 55 to 64 years",
             "Aged 65 to 74 years", "Aged 75 years and over")
_AGE_SHARES = (0.11, 0.08, 0.025, 0.095, 0.13, 0.12, 0.13, 0.12, 0.10, 0.09)
GRID_COLUMNS, CELL_LON, CELL_LAT, ORIGIN = 10, 0.05, 0.03, (-2.30, 53.50)


def _split(rng, total: int, shares) -> list[int]:
    """total people split by shares (multinomial: the parts always add up)."""
    shares = np.asarray(shares, dtype=float)
    return [int(v) for v in rng.multinomial(total, shares / shares.sum())]


@cache
def ward_profiles() -> dict[str, dict]:
    """ward code → {name, neighbourhood code, ethnic: {column category: count}, age_sex: {...}}."""
    rng = np.random.default_rng(_SEED)
    profiles = {}
    for division in demo_force().divisions:
        for hood in division.neighbourhoods:
            bme = min(0.6, _BME_SHARE[division.code] * rng.lognormal(0.0, 0.5))
            for ward in hood.wards:
                profiles[ward.code] = {"name": ward.name, "neighbourhood": hood.code,
                                       "ethnic": _ethnic(rng, ward.population, bme),
                                       "age_sex": _age_sex(rng, ward.population)}
    return profiles


def _ethnic(rng, population: int, bme: float) -> dict[str, int]:
    shares = {"White": 1 - bme, **{k: bme * v for k, v in _BME_SPLIT.items()}}
    groups = dict(zip((g for g, _ in ETHNIC_GROUPS), _split(rng, population, [
        shares[g.split(",")[0].split(" ")[0]] for g, _ in ETHNIC_GROUPS]), strict=True))
    counts = {"Total: All usual residents": population}
    for group, categories in ETHNIC_GROUPS:
        counts[group] = groups[group]
        for (category, _), count in zip(categories, _split(rng, groups[group], [s for _, s in categories]),
                                        strict=True):
            counts[f"{group}: {category}"] = count
    return counts


def _age_sex(rng, population: int) -> dict[str, int]:
    counts = {}
    for age, total in zip(AGE_BANDS, _split(rng, population, _AGE_SHARES), strict=True):
        female = int(rng.binomial(total, 0.51))
        counts[f"Female; {age}"], counts[f"Male; {age}"] = female, total - female
    return counts


def write_census_files(folder: Path) -> dict[str, Path]:
    """The ethnic group and age-by-sex tables and the ward → neighbourhood lookup, as published."""
    profiles = ward_profiles()
    first = next(iter(profiles.values()))
    paths = {"ethnic": folder / "census2021-ts021-ward.csv", "age_sex": folder / "census2021-age-sex-ward.csv",
             "lookup": folder / "ward-to-neighbourhood.csv"}
    for key, prefix, pattern in (("ethnic", "Ethnic group: ", "{}"),
                                 ("age_sex", "", "Sex: {}; measures: Value")):
        columns = list(first[key])
        header = ["date", "geography", "geography code", *(
            prefix + c if key == "ethnic" else pattern.format(c.replace("; ", "; Age: ")) for c in columns)]
        with paths[key].open("w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(header)
            out.writerows(["2021", p["name"], code, *(p[key][c] for c in columns)] for code, p in profiles.items())
    with paths["lookup"].open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["WD22CD", "WD22NM", "neighbourhood_code"])
        out.writerows([code, p["name"], p["neighbourhood"]] for code, p in profiles.items())
    return paths


def neighbourhood_cells() -> dict[str, tuple[float, float, float, float]]:
    """neighbourhood code → (west, south, east, north): the demo's invented map, a grid in force order."""
    codes = [h.code for d in demo_force().divisions for h in d.neighbourhoods]
    cells = {}
    for i, code in enumerate(codes):
        row, column = divmod(i, GRID_COLUMNS)
        west, south = ORIGIN[0] + column * CELL_LON, ORIGIN[1] - (row + 1) * CELL_LAT
        cells[code] = (round(west, 6), round(south, 6), round(west + CELL_LON, 6), round(south + CELL_LAT, 6))
    return cells


def write_boundaries(path: Path) -> Path:
    """Neighbourhood boundaries as a GeoJSON FeatureCollection (properties code and name)."""
    names = {h.code: h.name for d in demo_force().divisions for h in d.neighbourhoods}
    features = []
    for code, (w, s, e, n) in neighbourhood_cells().items():
        ring = [[w, s], [e, s], [e, n], [w, n], [w, s]]  # counter-clockwise, as RFC 7946 asks
        features.append({"type": "Feature", "properties": {"code": code, "name": names[code]},
                         "geometry": {"type": "Polygon", "coordinates": [ring]}})
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path
