"""Stop and search figures for a scrutiny panel: rates per 1,000 against the census, the
disproportionality ratio, find and arrest rates with their gaps, by neighbourhood and by month.

Rates are searches over all residents of the group (the census counts every age), as the Home Office's
published disproportionality figures do; self-defined and officer-defined ethnicity are never mixed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from citizenfocus.stats.compare import MIN_TEST_BASE
from citizenfocus.stats.counts import poisson_funnel_limits, u_chart
from citizenfocus.stats.disproportionality import rate_per_1000, rate_ratio, ratio_sentence
from citizenfocus.stats.intervals import newcombe_interval, wilson_interval
from citizenfocus.stats.verdicts import HIGHER, LOWER, NOT_TESTED, SAME

from . import population
from .census import GROUPS
from .models import StopSearch

BASES = {"self": ("self_group", "self-defined ethnicity"), "officer": ("officer_group", "officer-defined ethnicity")}
REFERENCE = "White"
NOT_STATED = "Not stated"


@dataclass(frozen=True)
class SearchFilters:
    basis: str = "self"
    first: dt.date | None = None  # first month
    last: dt.date | None = None  # last month
    section_60: str = "all"  # all | only | exclude
    neighbourhood: object = None

    def label(self) -> str:
        when = f"{self.first:%b %Y} to {self.last:%b %Y}" if self.first and self.last else "all months"
        where = f"{self.neighbourhood.name} neighbourhood" if self.neighbourhood else "the whole force"
        s60 = {"only": ", section 60 searches only", "exclude": ", excluding section 60"}.get(self.section_60, "")
        return f"{where}, {when}{s60}, by {BASES[self.basis][1]}"


def default_months() -> tuple[dt.date | None, dt.date | None]:
    """The 12 months to the latest month with searches."""
    last = StopSearch.objects.order_by("-month").values_list("month", flat=True).first()
    if last is None:
        return None, None
    first = dt.date(last.year - (1 if last.month < 12 else 0), last.month % 12 + 1, 1)
    return first, last


def _proportion_gap(x1: int, n1: int, x2: int, n2: int) -> dict:
    """p1 − p2 with Newcombe's interval and the verdict (none called significant under 20 a side)."""
    if not n1 or not n2:
        return {"gap": None, "gap_low": None, "gap_high": None, "gap_verdict": NOT_TESTED}
    low, high = newcombe_interval(x1, n1, x2, n2)
    if min(n1, n2) < MIN_TEST_BASE:
        verdict = NOT_TESTED
    else:
        verdict = HIGHER if low > 0 else LOWER if high < 0 else SAME
    return {"gap": x1 / n1 - x2 / n2, "gap_low": low, "gap_high": high, "gap_verdict": verdict}


def _share(x: int, n: int, prefix: str) -> dict:
    if not n:
        return {f"{prefix}rate": None, f"{prefix}low": None, f"{prefix}high": None}
    low, high = wilson_interval(x, n)
    return {f"{prefix}rate": x / n, f"{prefix}low": low, f"{prefix}high": high}


def group_rows(filters: SearchFilters) -> list[dict]:
    """One row per ethnic group (and not stated): searches, residents, rate per 1,000 with its interval,
    ratio to White with its interval and sentence, find and arrest rates with their gaps to White."""
    field = BASES[filters.basis][0]
    counts = {row[field]: row for row in StopSearch.objects.matching(filters).values(field).annotate(
        n=Count("id"), finds=Count("id", filter=Q(outcome_linked=True)),
        arrests=Count("id", filter=Q(outcome="Arrest")))}
    residents = population.ethnic_groups(filters.neighbourhood)
    white = counts.get(REFERENCE, {"n": 0, "finds": 0, "arrests": 0})
    rows = []
    for group in (*GROUPS, ""):
        found = counts.get(group, {"n": 0, "finds": 0, "arrests": 0})
        people = residents.get(group, 0) if group else 0
        rate = rate_per_1000(found["n"], people)
        row = {"group": group or NOT_STATED, "searches": found["n"], "residents": people or None,
               "rate_per_1000": rate.rate, "rate_low": rate.ci_low, "rate_high": rate.ci_high,
               "finds": found["finds"], "arrests": found["arrests"]}
        if group and group != REFERENCE:
            ratio = rate_ratio(found["n"], people, white["n"], residents.get(REFERENCE, 0))
            row.update({"ratio": ratio.ratio, "ratio_low": ratio.ci_low, "ratio_high": ratio.ci_high,
                        "ratio_sentence": ratio_sentence(group, REFERENCE, ratio)})
        row.update(_share(found["finds"], found["n"], "find_"))
        row.update(_share(found["arrests"], found["n"], "arrest_"))
        if group != REFERENCE:
            gap = _proportion_gap(found["finds"], found["n"], white["finds"], white["n"])
            row.update({f"find_{k}": v for k, v in gap.items()})
            gap = _proportion_gap(found["arrests"], found["n"], white["arrests"], white["n"])
            row.update({f"arrest_{k}": v for k, v in gap.items()})
        rows.append(row)
    return rows


AGE_REFERENCE = "over 34"  # the largest range, so the steadiest rate to compare with
SEX_REFERENCE = "Female"


def _who(kind: str, value: str) -> str:
    """How a sentence names a group: 'people aged 18-24', 'people aged under 10', 'males'."""
    if kind == "sex":
        return {"Female": "females", "Male": "males"}.get(value, f"people of {value} gender")
    return f"people aged {value}"


def ratio_words(kind: str, group: str, reference: str, ratio) -> str:
    """The ratio in words, as ratio_sentence says it for ethnic groups."""
    who, ref = _who(kind, group), _who(kind, reference)
    if ratio.ratio is None:
        return f"No ratio for {who} against {ref}: a count or a population is zero or not known."
    ci = f"(95% CI {ratio.ci_low:.1f} to {ratio.ci_high:.1f})"
    if not ratio.significant:
        return f"{who.capitalize()} were {ratio.ratio:.1f} times as likely as {ref} to be searched {ci}: " \
               "not significantly different."
    if ratio.ratio >= 1:
        return f"{who.capitalize()} were {ratio.ratio:.1f} times as likely as {ref} to be searched {ci}."
    return (f"{who.capitalize()} were {1 / ratio.ratio:.1f} times less likely than {ref} to be searched "
            f"(ratio {ratio.ratio:.2f}, 95% CI {ratio.ci_low:.2f} to {ratio.ci_high:.2f}).")


def _rate_rows(kind: str, key: str, counts: dict[str, int], residents: dict[str, int | None],
               reference: str, extra: tuple[str, ...]) -> list[dict]:
    """Searches, residents, rate per 1,000 with its exact interval and the ratio to the reference with its
    log-method interval, for each group; then the searches in `extra` groups, which have no population."""
    rows = []
    for group, people in residents.items():
        found = counts.get(group, 0)
        rate = rate_per_1000(found, people or 0)
        row = {key: group, "searches": found, "residents": people or None, "rate_per_1000": rate.rate,
               "rate_low": rate.ci_low, "rate_high": rate.ci_high}
        if group != reference:
            ratio = rate_ratio(found, people or 0, counts.get(reference, 0), residents.get(reference) or 0)
            row.update({"ratio": ratio.ratio, "ratio_low": ratio.ci_low, "ratio_high": ratio.ci_high,
                        "ratio_sentence": ratio_words(kind, group, reference, ratio)})
        rows.append(row)
    for group in extra:
        if counts.get(group):
            rows.append({key: group or NOT_STATED, "searches": counts[group], "residents": None})
    return rows


def sex_rows(filters: SearchFilters) -> list[dict]:
    """Searches per 1,000 residents by sex (census age by sex, every age), and males against females.
    police.uk's "Other" and blank have no census population: their searches are counted, with no rate."""
    by_sex = dict(StopSearch.objects.matching(filters).values_list("gender").annotate(n=Count("id")))
    residents = population.residents_by_sex(filters.neighbourhood)
    return _rate_rows("sex", "sex", by_sex, residents, SEX_REFERENCE, ("Other", ""))


def age_rows(filters: SearchFilters) -> tuple[list[dict], list[str]]:
    """Searches per 1,000 residents in each of police.uk's age ranges, against people over 34, and the
    problems that left a range without a population (a census band straddling two ranges)."""
    by_age = dict(StopSearch.objects.matching(filters).values_list("age_range").annotate(n=Count("id")))
    residents, mapping = population.residents_by_police_age_range(filters.neighbourhood)
    problems = mapping.problems()
    if not any(residents.values()) and not problems:
        problems = ["no census age-by-sex table is stored: import one (single years of age, TS009)"]
    return _rate_rows("age", "age_range", by_age, residents, AGE_REFERENCE, ("",)), problems


def neighbourhood_rows(filters: SearchFilters) -> list[dict]:
    """Each neighbourhood's searches per 1,000 against the force's, with the funnel's limits, and the
    Black-to-White ratio there. Searches with no published location are in no neighbourhood."""
    from citizenfocus.areas.models import Neighbourhood

    everywhere = SearchFilters(filters.basis, filters.first, filters.last, filters.section_60, None)
    searches = StopSearch.objects.matching(everywhere)
    field = BASES[filters.basis][0]
    by_hood: dict[int, dict[str, int]] = {}
    for hood, group, n in searches.exclude(neighbourhood=None).values_list("neighbourhood", field).annotate(
            n=Count("id")):
        by_hood.setdefault(hood, {})[group] = n
    residents = population.groups_by_neighbourhood()
    force_rate = searches.count() / max(1, sum(sum(g.values()) for g in residents.values())) * 1000
    rows = []
    for hood in Neighbourhood.objects.filter(pk__in=residents).select_related("division"):
        people, found = sum(residents[hood.pk].values()), by_hood.get(hood.pk, {})
        count = sum(found.values())
        limits = poisson_funnel_limits(force_rate, people / 1000)
        rate = count / people * 1000 if people else None
        ratio = rate_ratio(found.get("Black", 0), residents[hood.pk]["Black"], found.get(REFERENCE, 0),
                           residents[hood.pk][REFERENCE])
        rows.append({"neighbourhood": hood.name, "code": hood.code, "division": hood.division.name,
                     "searches": count, "residents": people, "rate_per_1000": rate, "force_rate": force_rate,
                     **{k: v for k, v in limits.items()},
                     "signal": _funnel_words(rate, limits), "black_searches": found.get("Black", 0),
                     "white_searches": found.get(REFERENCE, 0), "black_white_ratio": ratio.ratio,
                     "black_white_low": ratio.ci_low, "black_white_high": ratio.ci_high})
    return rows


def _funnel_words(rate, limits) -> str:
    if rate is None:
        return "no residents counted"
    if rate > limits["high998"]:
        return "above the force (outside 99.8% limits)"
    if rate < limits["low998"]:
        return "below the force (outside 99.8% limits)"
    return "within the funnel: not different from the force"


def monthly_chart(filters: SearchFilters):
    """Searches per 1,000 residents each month, as a u-chart."""
    months = list(StopSearch.objects.matching(filters).values_list("month").annotate(n=Count("id")).order_by("month"))
    people = sum(population.ethnic_groups(filters.neighbourhood).values()) / 1000
    if not months or not people:
        return None
    return u_chart([f"{m:%b %Y}" for m, _ in months], [n for _, n in months], [people] * len(months))
