"""Placing a response in the force's areas: division, neighbourhood and ward, by name or code.

A division may be left out when the neighbourhood is given (it is derived); when both
are given they must agree; a ward must belong to the neighbourhood (or, given alone,
places the response in its neighbourhood). Archived areas are still known: old survey
files name them.
"""

from __future__ import annotations

from dataclasses import dataclass

from citizenfocus.areas.models import Division, Neighbourhood, Ward

from .columns import header_key
from .values import as_text, closest, is_blank, value_key


@dataclass(frozen=True)
class Area:
    id: int
    name: str
    parent: int | None = None  # the division of a neighbourhood, the neighbourhood of a ward


Placed = tuple[int, int | None, int | None]  # division, neighbourhood, ward ids
Problem = tuple[str, object, str]  # our column, raw value, what was expected


class AreaIndex:
    """Every division, neighbourhood and ward, by the keys of their names and codes."""

    def __init__(self):
        self.divisions = [Area(d["id"], d["name"]) for d in Division.objects.values("id", "name")]
        self.neighbourhoods = [
            Area(n["id"], n["name"], n["division_id"])
            for n in Neighbourhood.objects.values("id", "name", "division_id")
        ]
        self.wards = [Area(w["id"], w["name"], w["neighbourhood_id"])
                      for w in Ward.objects.values("id", "name", "neighbourhood_id")]
        self._division_keys = _keys(self.divisions, Division.objects.values_list("id", "code"))
        self._neighbourhood_keys = _keys(self.neighbourhoods, Neighbourhood.objects.values_list("id", "code"))
        self._ward_keys = _keys(self.wards, Ward.objects.values_list("id", "code"))
        self._by_id = {("division", a.id): a for a in self.divisions}
        self._by_id |= {("neighbourhood", a.id): a for a in self.neighbourhoods}
        self._cache: dict[tuple, Placed | list[Problem]] = {}

    @property
    def empty(self) -> bool:
        return not self.divisions

    def place(self, division: object, neighbourhood: object, ward: object) -> Placed | list[Problem]:
        """The ids for a row's three cells (any may be None: the column is absent), or problems."""
        key = (division, neighbourhood, ward)
        try:
            return self._cache[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable cell: never cached
            return self._place(*key)
        found = self._cache[key] = self._place(*key)
        return found

    def _place(self, division_raw, neighbourhood_raw, ward_raw) -> Placed | list[Problem]:
        problems: list[Problem] = []
        division = self._division(division_raw, problems)
        neighbourhood = self._neighbourhood(neighbourhood_raw, division, division_raw, problems)
        ward = None
        if not is_blank(ward_raw):
            ward = self._ward(ward_raw, neighbourhood, neighbourhood_raw, division, problems)
            if ward is not None and neighbourhood is None:
                neighbourhood = self._by_id[("neighbourhood", ward.parent)]
        if division is None and neighbourhood is not None and not problems:
            division = self._by_id[("division", neighbourhood.parent)]
        if problems:
            return problems
        if division is None:
            column = "division" if division_raw is not None or neighbourhood_raw is None else "neighbourhood"
            return [(column, "", "is blank: every response needs a division or a neighbourhood")]
        return division.id, neighbourhood.id if neighbourhood else None, ward.id if ward else None

    def _division(self, raw, problems: list[Problem]) -> Area | None:
        if is_blank(raw):
            return None
        found = self._division_keys.get(value_key(raw), [])
        if len(found) == 1:
            return found[0]
        if found:
            problems.append(("division", raw, "is the name of more than one division; use its code"))
        else:
            names = [a.name for a in self.divisions]
            problems.append(("division", raw, f"is not a known division{closest(raw, names)}"))
        return None

    def _neighbourhood(self, raw, division: Area | None, division_raw, problems) -> Area | None:
        if is_blank(raw):
            return None
        found = self._neighbourhood_keys.get(value_key(raw), [])
        if not found:
            names = [a.name for a in self.neighbourhoods]
            problems.append(("neighbourhood", raw, f"is not a known neighbourhood{closest(raw, names)}"))
            return None
        if division is not None:
            found_here = [a for a in found if a.parent == division.id]
            if not found_here:
                problems.append(("neighbourhood", raw, f"is in {self._divisions_of(found)}, "
                                 f'not in "{as_text(division_raw)}": the division and neighbourhood disagree'))
                return None
            found = found_here
        if len(found) > 1:
            problems.append(("neighbourhood", raw, f"is the name of neighbourhoods in {self._divisions_of(found)}: "
                             "give the division too, or use the neighbourhood's code"))
            return None
        return found[0]

    def _ward(self, raw, neighbourhood: Area | None, neighbourhood_raw, division, problems) -> Area | None:
        found = self._ward_keys.get(value_key(raw), [])
        if neighbourhood is not None:
            here = [a for a in found if a.parent == neighbourhood.id]
            if here:
                return here[0]
            if found:
                places = ", ".join(sorted({self._by_id[("neighbourhood", a.parent)].name for a in found}))
                problems.append(("ward", raw, f'is in {places}, not in "{as_text(neighbourhood_raw)}"'))
            else:
                names = [a.name for a in self.wards if a.parent == neighbourhood.id]
                problems.append(("ward", raw, f"is not a ward of {neighbourhood.name}{closest(raw, names)}"))
            return None
        if not is_blank(neighbourhood_raw):
            return None  # the neighbourhood itself was wrong: that problem is enough
        if division is not None:
            in_division = [a for a in found if self._by_id[("neighbourhood", a.parent)].parent == division.id]
            if found and not in_division:
                problems.append(("ward", raw, f"is not in {division.name} division"))
                return None
            found = in_division
        if len(found) == 1:
            return found[0]
        if found:
            problems.append(("ward", raw, "is the name of wards in more than one neighbourhood: "
                             "give the neighbourhood too"))
        else:
            problems.append(("ward", raw, f"is not a known ward{closest(raw, [a.name for a in self.wards])}"))
        return None

    def _divisions_of(self, areas: list[Area]) -> str:
        names = sorted({self._by_id[("division", a.parent)].name for a in areas})
        return " and ".join(names) + (" divisions" if len(names) > 1 else " division")


def _keys(areas: list[Area], codes) -> dict[str, list[Area]]:
    by_id = {a.id: a for a in areas}
    keys: dict[str, list[Area]] = {}
    for area in areas:
        keys.setdefault(header_key(area.name), []).append(area)
        if (exact := value_key(area.name)) != header_key(area.name):
            keys.setdefault(exact, []).append(area)
    for pk, code in codes:
        key = header_key(code)
        if key and by_id[pk] not in keys.get(key, []):
            keys.setdefault(key, []).append(by_id[pk])
    return keys
