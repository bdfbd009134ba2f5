"""Census age bands put into other age ranges: police.uk's stop-and-search ranges and the surveys' bands.

The census publishes ages as single years (TS009 "sex by single year of age": "Aged under 1 year",
"Aged 1 year", …, "Aged 90 years and over") or in bands ("Aged 4 years and under", "Aged 5 to 9 years",
"Aged 16 to 24 years", "Aged 85 years and over"). Each label is read as the span of whole years it
covers, and a span goes into a range only when it lies wholly inside it. A band that straddles a range
boundary (census "Aged 15 to 19 years" against police.uk's 10-17 and 18-24) is never split by guesswork:
the ranges it straddles get no population, and the page says which census band is at fault.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# police.uk's "Age range" values as published, and the whole years each covers (None: no upper end).
POLICE_UK_AGE_RANGES: dict[str, tuple[int, int | None]] = {
    "under 10": (0, 9),
    "10-17": (10, 17),
    "18-24": (18, 24),
    "25-34": (25, 34),
    "over 34": (35, None),
}
# The surveys' age bands (surveys ask people aged 16 and over).
SURVEY_AGE_BANDS: dict[str, tuple[int, int | None]] = {
    "16-24": (16, 24), "25-34": (25, 34), "35-44": (35, 44), "45-54": (45, 54), "55-64": (55, 64),
    "65-74": (65, 74), "75+": (75, None),
}
TOTAL_LABELS = ("Total", "All ages", "Total: All usual residents")

_PATTERNS = (
    (re.compile(r"^Aged (\d+) to (\d+) years?$"), lambda m: (int(m[1]), int(m[2]))),
    (re.compile(r"^Aged (\d+) years? and over$"), lambda m: (int(m[1]), None)),
    (re.compile(r"^Aged (\d+) years? and under$"), lambda m: (0, int(m[1]))),
    (re.compile(r"^Aged under (\d+) years?$"), lambda m: (0, int(m[1]) - 1)),
    (re.compile(r"^Aged (\d+) years?$"), lambda m: (int(m[1]), int(m[1]))),
)


def age_span(label: str) -> tuple[int, int | None] | None:
    """'Aged 16 to 24 years' → (16, 24); 'Aged 85 years and over' → (85, None); 'Aged under 1 year' → (0, 0);
    'Aged 7 years' → (7, 7); a total or anything else → None."""
    text = label.strip()
    for pattern, span in _PATTERNS:
        if match := pattern.match(text):
            low, high = span(match)
            return (low, high) if high is None or high >= low else None
    return None


def _inside(span: tuple[int, int | None], target: tuple[int, int | None]) -> bool:
    (low, high), (t_low, t_high) = span, target
    return low >= t_low and (t_high is None or (high is not None and high <= t_high))


def _overlaps(span: tuple[int, int | None], target: tuple[int, int | None]) -> bool:
    (low, high), (t_low, t_high) = span, target
    return (t_high is None or low <= t_high) and (high is None or high >= t_low)


@dataclass(frozen=True)
class AgeMapping:
    """Census age label → target range, and what could not be placed (label → the ranges it straddles)."""

    ranges: dict[str, str]
    straddling: dict[str, tuple[str, ...]]
    unreadable: tuple[str, ...]

    @property
    def blocked(self) -> set[str]:
        """The target ranges whose population cannot be counted exactly from these census bands."""
        return {r for ranges in self.straddling.values() for r in ranges}

    def problems(self) -> list[str]:
        out = [f'census band "{label}" spans {" and ".join(ranges)}: it cannot be split without guessing'
               for label, ranges in self.straddling.items()]
        out += [f'census age "{label}" is not read as an age ("Aged 16 to 24 years", "Aged 7 years", '
                f'"Aged 85 years and over")' for label in self.unreadable]
        return out


def map_ages(labels, targets: dict[str, tuple[int, int | None]] = POLICE_UK_AGE_RANGES) -> AgeMapping:
    """Place each census age label in the one target range that holds all its years.

    A label in no target (under-16s against the surveys' bands) is left out; one that overlaps two
    targets is `straddling`; one that is not an age at all (other than a total) is `unreadable`."""
    ranges, straddling, unreadable = {}, {}, []
    for label in dict.fromkeys(labels):
        if label.strip() in TOTAL_LABELS:
            continue
        span = age_span(label)
        if span is None:
            unreadable.append(label)
            continue
        inside = [name for name, target in targets.items() if _inside(span, target)]
        if inside:
            ranges[label] = inside[0]
            continue
        touched = tuple(name for name, target in targets.items() if _overlaps(span, target))
        if len(touched) > 1:
            straddling[label] = touched
    return AgeMapping(ranges, straddling, tuple(unreadable))


def survey_age_band(census_age: str) -> str | None:
    """'Aged 16 to 24 years' → '16-24', 'Aged 75 years and over' → '75+', 'Aged 30 years' → '25-34';
    under 16, a total or a band that straddles two survey bands → None."""
    return map_ages([census_age], SURVEY_AGE_BANDS).ranges.get(census_age)
