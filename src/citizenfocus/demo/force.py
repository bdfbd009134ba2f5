"""Northvale Constabulary: the fictional force behind the demo, its tests and its docs.

Every name is invented; none is meant to be a real place or person. The areas
are fixed (they do not depend on the survey seed) so that a demo database, a
test fixture and a screenshot in the docs all show the same force. Sizes are
deliberately uneven, as in a real force, so that small-base suppression and
funnel plots have something to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

FORCE_NAME = "Northvale Constabulary"
FORCE_CODE = "northvale"

# A fixed seed for the force's shape only: survey seeds never change the areas.
_AREA_SEED = 1829

# (division name, code, its neighbourhoods). Northern is rural, Central the
# city (bigger, denser, more diverse), Southern market towns and downland.
_DIVISIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "Northern",
        "northern",
        (
            "Ashby Moor", "Brackenthwaite", "Calderby", "Dunnock Fell", "Elmthorpe",
            "Fernwick", "Garsby", "Harrowdale", "Ingleholme", "Kettlebeck",
            "Lowmoor Edge", "Mossby", "Netherholm", "Oakthwaite", "Pennock",
            "Ravensgill", "Skelbrook",
        ),
    ),
    (
        "Central",
        "central",
        (
            "Abbeygate", "Bridgefoot Quarter", "Canal Basin", "Chandlers Row", "Cloth Hall",
            "Copperfold", "Foundry Lane", "Glasshouse", "Hollin Park", "Kingsmead Vale",
            "Lanthorn Green", "Market Cross", "Millrace", "Northgate Rise", "Old Tannery",
            "Priory Fields", "Quayside West", "Ropewalk", "St Aldric's", "Saltbridge",
            "Tenterhook Yard", "Upperwharf", "Weavers Heath", "Wheelwright", "Yarnside",
        ),
    ),
    (
        "Southern",
        "southern",
        (
            "Ambercombe", "Barrowcombe", "Chalkney", "Dewmere", "Evenhurst Down",
            "Fallowden", "Gorsehanger", "Hazelcombe", "Kestrelden", "Longacre Vale",
            "Marlhurst", "Nettlemead", "Orchardside", "Puddlecote", "Rookhurst",
            "Sedgemere", "Thistledown", "Wealdmere",
        ),
    ),
)

_WARD_SUFFIXES = ("North", "South", "East", "West", "Green", "Park", "Village", "Heath")

# People per neighbourhood, roughly: the city's neighbourhoods are larger.
_TYPICAL_POPULATION = {"northern": 14_000, "central": 26_000, "southern": 17_000}


@dataclass(frozen=True)
class Ward:
    name: str
    code: str
    population: int = 0


@dataclass(frozen=True)
class Neighbourhood:
    name: str
    code: str
    wards: tuple[Ward, ...] = ()

    @property
    def population(self) -> int:
        return sum(ward.population for ward in self.wards)


@dataclass(frozen=True)
class Division:
    name: str
    code: str
    neighbourhoods: tuple[Neighbourhood, ...] = ()

    @property
    def population(self) -> int:
        return sum(n.population for n in self.neighbourhoods)


@dataclass(frozen=True)
class Force:
    name: str
    code: str
    divisions: tuple[Division, ...] = ()

    @property
    def population(self) -> int:
        return sum(d.population for d in self.divisions)

    def division(self, name: str) -> Division:
        for division in self.divisions:
            if division.name == name:
                return division
        raise KeyError(f"{self.name} has no division {name!r}")


def _wards(rng: np.random.Generator, name: str, population: int, next_code: int) -> list[Ward]:
    """2-5 wards with unequal shares of the neighbourhood's people, named after it."""
    count = int(rng.integers(2, 6))
    start = int(rng.integers(0, len(_WARD_SUFFIXES)))
    suffixes = [_WARD_SUFFIXES[(start + i) % len(_WARD_SUFFIXES)] for i in range(count)]
    shares = rng.dirichlet(np.full(count, 4.0))
    # E05 is the ONS prefix for wards; the 9xxxxx range is not used by real ones.
    return [
        Ward(f"{name} {suffix}", f"E05{next_code + i:06d}", int(round(population * share)))
        for i, (suffix, share) in enumerate(zip(suffixes, shares, strict=True))
    ]


@cache
def demo_force() -> Force:
    """The demo force: 3 divisions, 60 neighbourhoods of uneven size, 2-5 wards each.

    Cached and immutable, so every caller sees the very same areas.
    """
    rng = np.random.default_rng(_AREA_SEED)
    next_code = 900_001
    divisions = []
    for div_name, div_code, names in _DIVISIONS:
        neighbourhoods = []
        for number, name in enumerate(names, start=1):
            population = int(_TYPICAL_POPULATION[div_code] * rng.lognormal(0.0, 0.45))
            wards = _wards(rng, name, population, next_code)
            next_code += len(wards)
            code = f"{div_code[0].upper()}{number:02d}"
            neighbourhoods.append(Neighbourhood(name, code, tuple(wards)))
        divisions.append(Division(div_name, div_code, tuple(neighbourhoods)))
    return Force(FORCE_NAME, FORCE_CODE, tuple(divisions))


@dataclass(frozen=True)
class WardTable:
    """The force flattened to one row per ward: what the generators sample from."""

    division_names: tuple[str, ...]
    neighbourhood_names: tuple[str, ...]
    ward_names: tuple[str, ...]
    ward_division: np.ndarray  # index into division_names, per ward
    ward_neighbourhood: np.ndarray  # index into neighbourhood_names, per ward
    ward_population: np.ndarray

    def division_index(self, name: str) -> int:
        return self.division_names.index(name)


@cache
def ward_table() -> WardTable:
    """One row per ward of the demo force, in force order."""
    force = demo_force()
    nbhd_names: list[str] = []
    ward_names: list[str] = []
    ward_div: list[int] = []
    ward_nbhd: list[int] = []
    ward_pop: list[int] = []
    for d_index, division in enumerate(force.divisions):
        for neighbourhood in division.neighbourhoods:
            nbhd_names.append(neighbourhood.name)
            for ward in neighbourhood.wards:
                ward_names.append(ward.name)
                ward_div.append(d_index)
                ward_nbhd.append(len(nbhd_names) - 1)
                ward_pop.append(ward.population)
    return WardTable(
        division_names=tuple(d.name for d in force.divisions),
        neighbourhood_names=tuple(nbhd_names),
        ward_names=tuple(ward_names),
        ward_division=np.asarray(ward_div, dtype=np.int64),
        ward_neighbourhood=np.asarray(ward_nbhd, dtype=np.int64),
        ward_population=np.asarray(ward_pop, dtype=np.float64),
    )
